import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatPosition, parseBicepFile, parseBicepSource } from './lib/bicep-parser.js';
import { display, listFiles, repoRoot } from './lib/templates.js';

const fixtures = join(import.meta.dirname, 'fixtures');

test('every Bicep and parameter file under infra/ parses without a syntax error', async () => {
  const files = listFiles(join(repoRoot, 'infra'), ['.bicep', '.bicepparam']);
  assert.ok(files.length >= 7, `expected the templates under infra/, found ${files.length}`);

  const problems = [];
  for (const file of files) problems.push(...(await parseBicepFile(file, display(file))).problems);

  assert.deepEqual(
    problems.map((problem) => `${formatPosition(problem)}: ${problem.message}`),
    [],
  );
});

test('a syntax error is reported with file, line and column', async () => {
  const file = join(fixtures, 'syntax-error.bicep');

  const { problems } = await parseBicepFile(file, display(file));

  assert.ok(problems.length > 0, 'the unclosed object must be reported');
  assert.equal(formatPosition(problems[0]!), 'tests/infra/fixtures/syntax-error.bicep:4:1');
});

test('an extension statement keeps the positions of the lines after it', async () => {
  const source = 'extension microsoftGraphV1\nparam a string\nvar b = {\n';

  const { problems } = await parseBicepSource(source, 'inline.bicep');

  assert.equal(problems[0]?.line, 3);
});

test('a parameter file may assign parameters without a type', async () => {
  const source = "using 'main.bicep'\nparam location = 'westeurope'\n";

  assert.deepEqual((await parseBicepSource(source, 'inline.bicepparam')).problems, []);
  assert.notDeepEqual((await parseBicepSource(source, 'inline.bicep')).problems, []);
});
