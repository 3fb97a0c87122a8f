// What the Bicep compiler would check across files: module parameters and outputs line up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BicepTemplate } from './lib/bicep-template.js';
import { moduleNamed } from './lib/contract-helpers.js';
import { display, loadInfraTemplates, loadTemplate } from './lib/templates.js';

async function modulesOf(template: BicepTemplate) {
  return Promise.all(
    template.modules.map(async (module) => ({
      symbol: module.symbol,
      target: await loadTemplate(template.resolvePath(module.path)),
    })),
  );
}

test('every module gets each parameter it requires and none it does not declare', async () => {
  const problems = [];
  for (const template of await loadInfraTemplates()) {
    for (const { symbol, target } of await modulesOf(template)) {
      const passed = [...moduleNamed(template, symbol).params.keys()];
      const declared = target.parameters.map((parameter) => parameter.name);
      const required = target.parameters
        .filter((parameter) => !parameter.defaultValue)
        .map((parameter) => parameter.name);
      for (const name of passed.filter((candidate) => !declared.includes(candidate))) {
        problems.push(
          `${template.file}: module ${symbol} passes unknown parameter ${name} to ${display(target.path)}`,
        );
      }
      for (const name of required.filter((candidate) => !passed.includes(candidate))) {
        problems.push(`${template.file}: module ${symbol} does not pass required parameter ${name}`);
      }
    }
  }

  assert.deepEqual(problems, []);
});

test('every module output a template reads is declared by that module', async () => {
  const problems = [];
  for (const template of await loadInfraTemplates()) {
    const outputs = new Map(
      (await modulesOf(template)).map(({ symbol, target }) => [
        symbol,
        target.outputs.map((output) => output.name),
      ]),
    );
    for (const match of template.parsed.source.matchAll(/\b(\w+)!?\.outputs\.(\w+)/g)) {
      const [, symbol = '', output = ''] = match;
      const known = outputs.get(symbol);
      if (!known) problems.push(`${template.file}: ${symbol} is not a module`);
      else if (!known.includes(output))
        problems.push(`${template.file}: module ${symbol} has no output ${output}`);
    }
  }

  assert.deepEqual(problems, []);
});
