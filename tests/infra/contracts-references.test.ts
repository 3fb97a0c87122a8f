import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBicepSource } from './lib/bicep-parser.js';
import { BicepTemplate } from './lib/bicep-template.js';
import { unresolvedReferences } from './lib/references.js';
import { loadInfraTemplates } from './lib/templates.js';

test('every identifier in the templates names a declaration, loop variable or lambda parameter', async () => {
  const problems = (await loadInfraTemplates()).flatMap(unresolvedReferences);

  assert.deepEqual(problems, []);
});

test('a misspelled symbol is reported where it is used', async () => {
  const source = [
    "param location string = 'westeurope'",
    "var names = [for (name, i) in ['a', 'b']: '${name}-${i}']",
    'var fn = map(names, n => toUpper(n))',
    'output where string = locaton',
  ].join('\n');
  const template = new BicepTemplate(await parseBicepSource(source, 'inline.bicep'), '/inline.bicep');

  assert.deepEqual(unresolvedReferences(template), ['inline.bicep:4:23: locaton']);
});
