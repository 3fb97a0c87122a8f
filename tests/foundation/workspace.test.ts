import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));

test('tests run on Node 22, the Azure Functions runtime the apps target', () => {
  assert.equal(process.versions.node.split('.')[0], '22');
});

test('the build copies the shared host.json into each deployable app folder', () => {
  for (const app of ['orchestrator-app', 'worker-app']) {
    assert.deepEqual(readJson(`${app}/host.json`), readJson('host.json'));
  }
});
