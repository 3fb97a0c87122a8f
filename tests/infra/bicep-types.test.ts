import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BicepTypeIndex, locateTypeData } from './lib/bicep-types.js';
import { checkResource, formatProblem, type ResourceCheck } from './lib/type-check.js';
import { loadInfraTemplates, loadTemplate, repoRoot } from './lib/templates.js';

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
