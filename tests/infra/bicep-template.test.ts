import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseBicepSource } from './lib/bicep-parser.js';
import { BicepTemplate, UNKNOWN } from './lib/bicep-template.js';

async function template(source: string, path = '/inline/main.bicep'): Promise<BicepTemplate> {
  return new BicepTemplate(await parseBicepSource(source, 'inline.bicep'), path);
}

async function valueOf(source: string, variable = 'v'): Promise<unknown> {
  const parsed = await template(source);
  return parsed.evaluate(parsed.variables.get(variable));
}

test('literals, escapes and interpolation of known values evaluate', async () => {
  const source =
    "var name = 'a'\nvar v = {\n  s: 'it\\'s ${name}-${2}'\n  n: 3\n  b: false\n  z: null\n  list: [\n    1\n    'x'\n  ]\n}";

  assert.deepEqual(await valueOf(source), { s: "it's a-2", n: 3, b: false, z: null, list: [1, 'x'] });
});

test('a value only a deployment knows is UNKNOWN, and symbolic evaluation shows its expression', async () => {
  const parsed = await template(
    "var v = {\n  id: account.id\n  uri: 'api://${tenant().tenantId}/x'\n  known: 'k'\n}",
  );
  const node = parsed.variables.get('v');

  assert.deepEqual(parsed.evaluate(node), { id: UNKNOWN, uri: UNKNOWN, known: 'k' });
  assert.deepEqual(parsed.evaluateSymbolic(node), {
    id: '${account.id}',
    uri: 'api://${tenant().tenantId}/x',
    known: 'k',
  });
});

test('union merges nested objects, replaces nested arrays and stays UNKNOWN with an unknown argument', async () => {
  const source = [
    'var a = {\n  x: {\n    p: 1\n    q: [\n      1\n    ]\n  }\n}',
    'var b = {\n  x: {\n    r: 2\n    q: [\n      2\n    ]\n  }\n}',
    'var v = union(a, b)',
    'var w = union(a, account.properties)',
  ].join('\n');

  assert.deepEqual(await valueOf(source), { x: { p: 1, q: [2], r: 2 } });
  assert.equal(await valueOf(source, 'w'), UNKNOWN);
});

test('parameters take their defaults or the values set, and drive ternaries and comparisons', async () => {
  const source =
    "param mode string = 'a'\nvar on = mode == 'b'\nvar v = on ? 'yes' : 'no'\nvar w = !on && true";
  const parsed = await template(source);

  assert.equal(parsed.evaluate(parsed.variables.get('v')), 'no');
  parsed.setParameters({ mode: 'b' });
  assert.equal(parsed.evaluate(parsed.variables.get('v')), 'yes');
  assert.equal(parsed.evaluate(parsed.variables.get('w')), false);
});

test('loadJsonContent reads the file relative to the template', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'bicep-template-'));
  writeFileSync(join(folder, 'policy.json'), JSON.stringify({ enabled: true }));
  const parsed = await template(
    "var v = loadJsonContent('policy.json')\nvar w = loadJsonContent('absent.json')",
    join(folder, 'main.bicep'),
  );

  assert.deepEqual(parsed.evaluate(parsed.variables.get('v')), { enabled: true });
  assert.equal(parsed.evaluate(parsed.variables.get('w')), UNKNOWN);
});

test('declarations are read with their decorators, conditions, loops and existing flag', async () => {
  const source = [
    '@secure()',
    'param p string',
    "resource a 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {\n  name: 'x'\n}",
    "resource b 'Microsoft.Storage/storageAccounts@2025-06-01' = if (true) {\n  name: 'y'\n}",
    "resource c 'Microsoft.Storage/storageAccounts@2025-06-01' = [for n in ['z']: {\n  name: n\n}]",
    "module m 'modules/x.bicep' = {\n  name: 'm'\n}",
    '@secure()\noutput o string = p',
  ].join('\n');
  const parsed = await template(source);

  assert.deepEqual(
    parsed.parameters.map((param) => [param.name, param.decorators]),
    [['p', ['secure']]],
  );
  assert.deepEqual(
    parsed.resources.map((r) => [r.symbol, r.apiVersion, r.existing, r.conditional, r.loop]),
    [
      ['a', '2025-06-01', true, false, false],
      ['b', '2025-06-01', false, true, false],
      ['c', '2025-06-01', false, false, true],
    ],
  );
  assert.deepEqual(
    parsed.modules.map((m) => m.path),
    ['modules/x.bicep'],
  );
  assert.deepEqual(
    parsed.outputs.map((o) => [o.name, o.decorators]),
    [['o', ['secure']]],
  );
});
