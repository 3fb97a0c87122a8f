import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { startTestIdentity } from './helpers.js';

const run = promisify(execFile);
const FIXTURE = join(import.meta.dirname, 'fixtures', 'managed-identity-client.ts');

/** Runs one scenario of the fixture in its own process with the given environment. */
async function scenario(name: string, env: Record<string, string> = {}): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', FIXTURE, name], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

describe('the real @azure/identity ManagedIdentityCredential against the local endpoint', () => {
  let server: Awaited<ReturnType<typeof startTestIdentity>>;

  before(async () => {
    server = await startTestIdentity();
  });
  after(() => server.stop());

  test('1,000 getToken calls make one endpoint request', async () => {
    const result = await scenario('cached-calls', {
      IDENTITY_ENDPOINT: server.identity.managedIdentity.endpoint,
      IDENTITY_HEADER: server.identity.managedIdentity.header,
    });

    assert.equal(result.calls, 1000);
    assert.equal(result.distinctTokens, 1);
    assert.equal(server.identity.stats().managedIdentityRequests, 1);
  });

  test('with 10-minute tokens and a moving clock, tokens are refreshed and always valid', async () => {
    const result = await scenario('across-lifetimes');

    assert.ok((result.spanSeconds ?? 0) >= 5 * 600);
    assert.equal(result.invalid, 0);
    // @azure/identity treats a token with 300 s or less left as expired.
    assert.ok((result.minRemainingSeconds ?? 0) > 300, `min remaining ${result.minRemainingSeconds}`);
    assert.ok((result.requests ?? 0) >= 5 && (result.requests ?? 0) <= 15, `requests ${result.requests}`);
  });
});
