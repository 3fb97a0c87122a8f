// An identity endpoint that stalls: the provider's own time limit ends the wait, and the worker client
// turns it into an `auth` outcome of cause `token` without ever calling the worker.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { TokenAcquisitionError } from '../../orchestrator-app/src/errors.js';
import {
  createTokenProvider,
  sharedManagedIdentityCredential,
} from '../../orchestrator-app/src/worker/token-provider.js';
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
let release!: () => void;

before(async () => {
  identity = await startIdentityEndpoint();
  identity.hold = new Promise<void>((resolve) => (release = resolve));
  worker = await startWorkerStub((_request, res) => sendJson(res, 200, {}));
});

after(async () => {
  release();
  await worker.close();
  await identity.close();
});

test('a stalled endpoint fails getToken after TOKEN_TIMEOUT_MS with an error naming the setting', async () => {
  const tokens = createTokenProvider(
    sharedManagedIdentityCredential(undefined),
    'api://batch-worker/.default',
    200,
  );
  await assert.rejects(tokens.getToken(), (error: unknown) => {
    assert.ok(error instanceof TokenAcquisitionError);
    assert.match(error.message, /TOKEN_TIMEOUT_MS \(200 ms\)/);
    return true;
  });
});

test('the worker client reports a token failure as auth and never calls the worker', async () => {
  const client = loopbackWorkerClient(worker.url, {
    WORKER_RETRIES: '1',
    WORKER_BACKOFF_MIN_MS: '1',
    WORKER_BACKOFF_MAX_MS: '2',
    TOKEN_TIMEOUT_MS: '100',
  });
  const outcome = await client.processItem({
    runId: 'r',
    job: 'statements',
    period: '2026-11',
    itemId: 'a',
  });
  assert.equal(outcome.kind, 'auth');
  assert.equal(outcome.kind === 'auth' && outcome.cause, 'token');
  assert.equal(worker.seen.length, 0);
});
