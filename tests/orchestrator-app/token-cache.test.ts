// A warm token cache: 1,000 worker calls reach the managed-identity endpoint once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  loopbackWorkerClient,
  sendJson,
  startIdentityEndpoint,
  startWorkerStub,
  type IdentityEndpoint,
  type WorkerStub,
} from './helpers/loopback.js';

let identity: IdentityEndpoint;
let worker: WorkerStub;

before(async () => {
  identity = await startIdentityEndpoint();
  worker = await startWorkerStub((_request, res) => sendJson(res, 200, { replayed: false }));
});

after(async () => {
  await worker.close();
  await identity.close();
});

test('1,000 worker calls, each asking for a token, cause one managed-identity request', async () => {
  const client = loopbackWorkerClient(worker.url, { TOKEN_TIMEOUT_MS: '5000' });

  for (let batch = 0; batch < 20; batch += 1) {
    const calls = Array.from({ length: 50 }, (_, i) =>
      client.processItem({
        runId: 'run-cache',
        job: 'statements',
        period: '2026-11',
        itemId: `item-${batch * 50 + i}`,
      }),
    );
    const outcomes = await Promise.all(calls);
    assert.ok(outcomes.every((o) => o.kind === 'ok'));
  }

  assert.equal(worker.seen.length, 1000);
  assert.ok(worker.seen.every((r) => r.headers.authorization === `Bearer ${identity.token}`));
  assert.equal(identity.requests.length, 1);
});
