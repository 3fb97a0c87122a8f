// A cold cache: concurrent callers share one managed-identity request, with a user-assigned client id.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  createTokenProvider,
  sharedManagedIdentityCredential,
} from '../../orchestrator-app/src/worker/token-provider.js';
import { startIdentityEndpoint, type IdentityEndpoint } from './helpers/loopback.js';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
let identity: IdentityEndpoint;

before(async () => {
  identity = await startIdentityEndpoint();
});

after(async () => {
  await identity.close();
});

test('200 concurrent token requests on a cold cache send one request to the endpoint', async () => {
  let release!: () => void;
  identity.hold = new Promise<void>((resolve) => (release = resolve));
  const tokens = createTokenProvider(
    sharedManagedIdentityCredential(CLIENT_ID),
    'api://batch-worker/.default',
    10_000,
  );

  const all = Promise.all(Array.from({ length: 200 }, () => tokens.getToken()));
  release();
  const results = await all;

  assert.ok(results.every((token) => token === identity.token));
  assert.equal(identity.requests.length, 1);
  assert.deepEqual(identity.requests[0], { resource: 'api://batch-worker', clientId: CLIENT_ID });
});
