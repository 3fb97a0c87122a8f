import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;

before(async () => {
  system = await startTestSystem();
});

after(async () => {
  await system.stop();
});

test('every part answers on its own loopback port', () => {
  const ports = Object.values(system.ports);
  assert.equal(new Set(ports).size, ports.length);
  assert.ok(ports.every((port) => port > 0));
  for (const url of [
    system.urls.orchestrator,
    system.urls.worker,
    system.urls.identity,
    system.urls.workerHost,
  ]) {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  }
});

test('both apps answer their anonymous health route through their Easy Auth proxies', async () => {
  for (const origin of [system.urls.orchestrator, system.urls.worker]) {
    const res = await fetch(`${origin}/api/health`);
    assert.equal(res.status, 200, origin);
  }
});

test('the worker proxy refuses a call without a token', async () => {
  const res = await fetch(`${system.urls.worker}/api/jobs/statements/items`);
  assert.equal(res.status, 401);
});

test('the orchestrator host serves the durable management API with its system key only', async () => {
  const refused = await fetch(`${system.urls.management}/instances`);
  const allowed = await fetch(`${system.urls.management}/instances?code=${system.keys.orchestrator.system}`);
  assert.equal(refused.status, 401);
  assert.equal(allowed.status, 200);
});

test('the Azurite key is kept in the data folder with mode 0600', () => {
  const path = join(system.dataDir, 'azurite-key');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.ok(system.storageConnectionString.includes(`AccountKey=${readFileSync(path, 'utf8').trim()};`));
});

test('host logs arrive as records tagged with the app they come from', () => {
  const ready = system.records.filter((record) => record.event === 'host.ready');
  assert.deepEqual(ready.map((record) => record.component).sort(), ['orchestrator', 'worker']);
});

test('an operator token opens the run API through the orchestrator proxy', async () => {
  const page = await system.runApi().list({ top: '1' });
  assert.ok(Array.isArray(page.runs));
});
