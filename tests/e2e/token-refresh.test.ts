// Per-call tokens across token lifetimes: with managed-identity tokens that @azure/identity must
// refresh every few seconds (it treats a token with 300 s or less left as expired), a run that spans
// several refresh windows keeps succeeding, because every attempt asks the cache for a current token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { waitForRunEnd } from '../support/runs.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const ITEMS = 600;
/** 303 s tokens leave a 3 s window before @azure/identity fetches a new one. */
const TOKEN_LIFETIME_SECONDS = 303;

let system: TestSystem;

before(async () => {
  system = await startTestSystem({
    tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS,
    env: {
      worker: {
        WORKER_BENCH_ENABLED: 'true',
        WORKER_BENCH_ITEMS: String(ITEMS),
        WORKER_BENCH_LATENCY_MS: '100',
      },
    },
    hostLogLevel: 'warn',
  });
});

after(async () => {
  await system?.stop();
});

test('a run spanning several token refresh windows keeps succeeding on freshly acquired tokens', async () => {
  const identity = system.identity;
  assert.ok(identity, 'the identity server is part of the system');
  const api = system.runApi();
  const startedAt = Date.now();

  const started = await api.start({ job: 'bench', maxParallel: 8, chunkSize: 100 });
  const final = await waitForRunEnd(api, started.id);
  const windows = Math.floor((Date.now() - startedAt) / 3_000);

  assert.equal(final.status, 'completed', JSON.stringify(final));
  assert.equal(final.progress.succeeded, ITEMS);
  assert.ok(windows >= 2, `the run spanned ${windows} refresh windows; it must span at least two`);
  const requests = identity.stats().managedIdentityRequests;
  assert.ok(requests >= 2, `expected fresh tokens during the run, saw ${requests} token requests`);
});
