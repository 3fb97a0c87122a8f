// The mission's security path end to end: the orchestrator's unmodified @azure/identity gets its
// managed-identity token from devhost's local endpoint, every call passes the worker's Easy Auth
// proxy with it, and a whole 1,000-item run costs one token request thanks to the process-wide cache.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { waitForRunEnd } from '../support/runs.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const ITEMS = 1_000;

let system: TestSystem;

before(async () => {
  system = await startTestSystem({
    env: { worker: { WORKER_BENCH_ENABLED: 'true', WORKER_BENCH_ITEMS: String(ITEMS) } },
    hostLogLevel: 'warn',
  });
});

after(async () => {
  await system?.stop();
});

test('a 1,000-item run through both Easy Auth proxies makes exactly one managed-identity token request', async () => {
  const identity = system.identity;
  assert.ok(identity, 'the identity server is part of the system');
  const before = identity.stats().managedIdentityRequests;
  const api = system.runApi();

  const started = await api.start({ job: 'bench', maxParallel: 32, chunkSize: 250 });
  const final = await waitForRunEnd(api, started.id);

  assert.equal(final.status, 'completed', JSON.stringify(final));
  assert.equal(final.progress.succeeded, ITEMS);
  assert.equal(final.progress.failed, 0);
  assert.equal(identity.stats().managedIdentityRequests - before, 1);
});
