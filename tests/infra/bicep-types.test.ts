import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { Node } from 'web-tree-sitter';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BicepTypeIndex, locateTypeData } from './lib/bicep-types.js';
import {
  checkResource,
  checkValueAgainst,
  formatProblem,
  type ResourceCheck,
  type TypeProblem,
} from './lib/type-check.js';
import { moduleNamed } from './lib/contract-helpers.js';
import type { BicepTemplate, ResourceDeclaration, Value } from './lib/bicep-template.js';
import { bicepRoot, loadInfraTemplates, loadTemplate, repoRoot } from './lib/templates.js';

const location = locateTypeData(repoRoot);
const skip = 'missing' in location ? location.missing : false;
let index: BicepTypeIndex | undefined;
const types = (): BicepTypeIndex => {
  if ('missing' in location) throw new Error(location.missing);
  return (index ??= new BicepTypeIndex(location.directory));
};

/** Providers the type data does not describe; their resources are checked by the contract tests only. */
const uncheckedProviders = ['Microsoft.Resources'];

async function checkFile(path: string): Promise<ResourceCheck[]> {
  const template = await loadTemplate(path);
  return template.resources.map((resource) => checkResource(template, resource, types()));
}

test('every resource body under infra/ matches the Bicep type data', { skip }, async () => {
  const checks = [];
  for (const template of await loadInfraTemplates()) {
    checks.push(...template.resources.map((resource) => checkResource(template, resource, types())));
  }

  assert.deepEqual(checks.flatMap((check) => check.problems).map(formatProblem), []);
  const unchecked = checks.filter((check) => !check.checked).map((check) => check.resource.type);
  assert.deepEqual([...new Set(unchecked.map((type) => type.split('/')[0]))], uncheckedProviders);
  assert.ok(checks.filter((check) => check.checked).length >= 20, 'most resources must be checked');
});

test('the checker reports each kind of problem in the bad fixture at its line', { skip }, async () => {
  const checks = await checkFile(join(import.meta.dirname, 'fixtures', 'bad-resources.bicep'));
  const found = checks.flatMap((check) => check.problems).map((problem) => `${problem.line} ${problem.kind}`);

  assert.deepEqual(found, [
    '13 unknown-property',
    '17 missing-required',
    '27 read-only',
    '31 unknown-api-version',
    '40 wrong-type',
    '52 wrong-type',
    '76 wrong-type',
  ]);
});

test('the checker names the property and the resource in its message', { skip }, async () => {
  const checks = await checkFile(join(import.meta.dirname, 'fixtures', 'bad-resources.bicep'));
  const messages = checks.flatMap((check) => check.problems).map(formatProblem);

  assert.ok(
    messages.includes(
      "tests/infra/fixtures/bad-resources.bicep:13:5: unknown-property: unknownProperty properties.allowSharedKeyAcess: unknown property 'allowSharedKeyAcess'",
    ),
    messages.join('\n'),
  );
  assert.ok(messages.some((message) => message.includes("missing required property 'sku'")));
});

test(
  'an expression the checker cannot evaluate skips that property, not the resource',
  { skip },
  async () => {
    const checks = await checkFile(join(import.meta.dirname, 'fixtures', 'bad-resources.bicep'));
    const skipped = checks.find((check) => check.resource.symbol === 'skippedExpression');

    assert.equal(skipped?.checked, true);
    assert.deepEqual(skipped?.problems, []);
  },
);

test('without the type data folder the location says where it looked', () => {
  const lonelyRepo = join(mkdtempSync(join(tmpdir(), 'infra-types-')), 'repo');

  const fromDefault = locateTypeData(lonelyRepo, {});
  const fromEnv = locateTypeData(lonelyRepo, { BICEP_TYPES_DIR: join(lonelyRepo, 'nowhere') });

  assert.ok(
    'missing' in fromDefault && fromDefault.missing.includes(join(lonelyRepo, '..', 'shared', 'bicep-types')),
  );
  assert.ok('missing' in fromEnv && fromEnv.missing.includes('BICEP_TYPES_DIR='));
});

test(
  'resource names, as resources.bicep builds them, fit the naming rules of their types',
  { skip },
  async () => {
    // uniqueString() always returns 13 lower-case letters and digits.
    const resources = (await loadTemplate(join(bicepRoot, 'resources.bicep'))).setFunctions({
      uniqueString: () => 'abcdefghij123',
    });
    const problems: TypeProblem[] = [];
    let checked = 0;
    const checkName = (resource: ResourceDeclaration, value: Value, at: Node) => {
      const info = types().lookup(resource.type, resource.apiVersion ?? '');
      if (typeof value !== 'string' || info?.body.$type !== 'ObjectType' || !info.body.properties?.name)
        return;
      checked += 1;
      problems.push(
        ...checkValueAgainst(
          resources,
          types(),
          resource.type,
          resource.apiVersion ?? '',
          ['name'],
          value,
          at,
        ),
      );
    };

    for (const resource of resources.resources) {
      const name = resource.body ? resources.properties(resource.body).get('name') : undefined;
      if (name) checkName(resource, resources.evaluate(name), name);
    }
    for (const module of resources.modules) {
      const target: BicepTemplate = await loadTemplate(resources.resolvePath(module.path));
      const passed = moduleNamed(resources, module.symbol).params;
      for (const resource of target.resources) {
        const name = resource.body ? target.properties(resource.body).get('name') : undefined;
        const argument = name?.type === 'identifier' ? passed.get(name.text) : undefined;
        if (argument) checkName(resource, resources.evaluate(argument), argument);
      }
    }

    assert.deepEqual(problems.map(formatProblem), []);
    assert.ok(checked >= 10, `only ${checked} names could be checked`);
  },
);
