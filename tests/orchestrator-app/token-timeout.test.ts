// An identity endpoint that stalls: the provider's own time limit ends the wait, and the worker client
// turns it into an `auth` outcome of cause `token` without ever calling the worker.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { TokenAcquisitionError } from '../../orchestrator-app/src/errors.js';
import { parseWorkerSettings } from '../../orchestrator-app/src/settings.js';
import {
  createTokenProvider,
  sharedManagedIdentityCredential,
} from '../../orchestrator-app/src/worker/token-provider.js';
import { createWorkerClient } from '../../orchestrator-app/src/worker/worker-client.js';
import {
  sendJson,
  startIdentityEndpoint,
  startWorkerStub,
  type IdentityEndpoint,
} from './helpers/loopback.js';

let identity: IdentityEndpoint;
let worker: Awaited<ReturnType<typeof startWorkerStub>>;
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
  const settings = parseWorkerSettings({
    WORKER_BASE_URL: worker.url,
    WORKER_SCOPE: 'api://batch-worker/.default',
    WORKER_RETRIES: '1',
    WORKER_BACKOFF_MIN_MS: '1',
    WORKER_BACKOFF_MAX_MS: '2',
    TOKEN_TIMEOUT_MS: '100',
  });
  const tokens = createTokenProvider(
    sharedManagedIdentityCredential(undefined),
    settings.scope,
    settings.tokenTimeoutMs,
  );
  const outcome = await createWorkerClient({ settings, tokens }).processItem({
    runId: 'r',
    job: 'statements',
    period: '2026-11',
    itemId: 'a',
  });
  assert.equal(outcome.kind, 'auth');
  assert.equal(outcome.kind === 'auth' && outcome.cause, 'token');
  assert.equal(worker.seen.length, 0);
});
