import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';

import { readClientSecret, startIdentityServer } from '../../../devhost/src/identity/index.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { registrations, startTestIdentity, tempDataDir } from './helpers.js';

const { operator, orchestratorApi, worker, tenantId } = registrations;

async function clientCredentials(
  tokenEndpoint: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...form }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function jwks(url: string): Promise<JSONWebKeySet> {
  const discovery = (await (
    await fetch(`${url}/${tenantId}/v2.0/.well-known/openid-configuration`)
  ).json()) as {
    jwks_uri: string;
  };
  return (await (await fetch(discovery.jwks_uri)).json()) as JSONWebKeySet;
}

describe('local Entra issuer', () => {
  let server: Awaited<ReturnType<typeof startTestIdentity>>;
  let secret: string;

  before(async () => {
    server = await startTestIdentity();
    secret = await readClientSecret(server.dataDir, operator.clientId);
  });
  after(() => server.stop());

  test('publishes tenant-specific OIDC metadata', async () => {
    const response = await fetch(`${server.identity.url}/${tenantId}/v2.0/.well-known/openid-configuration`);
    const doc = (await response.json()) as Record<string, string>;

    assert.equal(response.status, 200);
    assert.equal(doc.issuer, `${server.identity.url}/${tenantId}/v2.0`);
    assert.equal(doc.issuer, server.identity.issuer);
    assert.equal(doc.jwks_uri, `${server.identity.url}/${tenantId}/discovery/v2.0/keys`);
    assert.equal(doc.token_endpoint, server.identity.tokenEndpoint);
  });

  test('answers 400 for another tenant', async () => {
    const response = await fetch(`${server.identity.url}/common/v2.0/.well-known/openid-configuration`);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_tenant');
  });

  test('issues the operator a v2 access token for the orchestrator API with its roles', async () => {
    const { status, body } = await clientCredentials(server.identity.tokenEndpoint, {
      client_id: operator.clientId,
      client_secret: secret,
      scope: 'api://batch-orchestrator/.default',
    });
    assert.equal(status, 200);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 24 * 3600);

    const token = body.access_token as string;
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createLocalJWKSet(await jwks(server.identity.url)),
      {
        issuer: server.identity.issuer,
        audience: orchestratorApi.clientId,
        algorithms: ['RS256'],
      },
    );
    assert.equal(protectedHeader.kid, (await jwks(server.identity.url)).keys[0]?.kid);
    assert.equal(payload.azp, operator.clientId);
    assert.equal(payload.oid, operator.objectId);
    assert.equal(payload.sub, operator.objectId);
    assert.equal(payload.tid, tenantId);
    assert.equal(payload.ver, '2.0');
    assert.deepEqual(payload.roles, ['Runs.Read', 'Runs.Operate']);
    assert.equal(payload.exp, (payload.iat ?? 0) + 24 * 3600);
    assert.equal(payload.nbf, payload.iat);
  });

  test('resolves a client id scope and leaves roles out where none are assigned', async () => {
    const { status, body } = await clientCredentials(server.identity.tokenEndpoint, {
      client_id: operator.clientId,
      client_secret: secret,
      scope: `${worker.clientId}/.default`,
    });
    assert.equal(status, 200);
    const { payload } = await jwtVerify(
      body.access_token as string,
      createLocalJWKSet(await jwks(server.identity.url)),
    );
    assert.equal(payload.aud, worker.clientId);
    assert.equal(payload.roles, undefined);
  });

  test('accepts client_secret_basic', async () => {
    const response = await fetch(server.identity.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${operator.clientId}:${secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=api%3A%2F%2Fbatch-orchestrator%2F.default',
    });
    assert.equal(response.status, 200);
  });

  test('rejects a wrong client secret with invalid_client', async () => {
    const { status, body } = await clientCredentials(server.identity.tokenEndpoint, {
      client_id: operator.clientId,
      client_secret: `${secret}x`,
      scope: 'api://batch-orchestrator/.default',
    });
    assert.equal(status, 401);
    assert.equal(body.error, 'invalid_client');
    assert.equal(body.access_token, undefined);
  });

  test('rejects the managed identity on the token endpoint: it has no secret', async () => {
    const { status } = await clientCredentials(server.identity.tokenEndpoint, {
      client_id: registrations.orchestratorIdentity.clientId,
      client_secret: secret,
      scope: 'api://batch-worker/.default',
    });
    assert.equal(status, 401);
  });

  test('rejects an unknown scope and other grant types', async () => {
    const scope = await clientCredentials(server.identity.tokenEndpoint, {
      client_id: operator.clientId,
      client_secret: secret,
      scope: 'api://someone-else/.default',
    });
    assert.equal(scope.status, 400);
    assert.equal(scope.body.error, 'invalid_scope');

    const grant = await clientCredentials(server.identity.tokenEndpoint, { grant_type: 'password' });
    assert.equal(grant.status, 400);
    assert.equal(grant.body.error, 'unsupported_grant_type');
  });

  test('counts token endpoint requests', () => {
    assert.ok(server.identity.stats().tokenRequests >= 5);
  });

  test('never logs a token or a secret', () => {
    const text = JSON.stringify(server.records);
    assert.ok(!text.includes(secret));
    assert.ok(!/eyJ[\w-]+\.eyJ/.test(text));
    assert.ok(
      server.records.some(
        (record) => record.event === 'identity.token_issued' && typeof record.kid === 'string',
      ),
    );
  });
});

describe('signing keys and secrets of a data folder', () => {
  test('are stored owner-only and survive a restart', async () => {
    const data = await tempDataDir();
    const { logger } = recordingLogger();
    try {
      const first = await startIdentityServer({ port: 0, dataDir: data.dir, registrations, logger });
      const kid = (await jwks(first.url)).keys[0]?.kid;
      const header = first.managedIdentity.header;
      await first.close();

      const second = await startIdentityServer({ port: 0, dataDir: data.dir, registrations, logger });
      assert.equal((await jwks(second.url)).keys[0]?.kid, kid);
      assert.equal(second.managedIdentity.header, header);
      await second.close();

      for (const file of ['keys.json', 'secrets.json']) {
        assert.equal((await stat(join(data.dir, 'identity', file))).mode & 0o777, 0o600, file);
      }
    } finally {
      await data.remove();
    }
  });

  test('rotate: new tokens carry the new kid and the old key stays published', async () => {
    const server = await startTestIdentity();
    try {
      const before = (await jwks(server.identity.url)).keys.map((key) => key.kid);
      const rotated = await (
        await fetch(`${server.identity.url}/_devhost/keys/rotate`, { method: 'POST' })
      ).json();
      const { kid, retiredKid } = rotated as { kid: string; retiredKid: string };
      const after = (await jwks(server.identity.url)).keys.map((key) => key.kid);

      assert.deepEqual(before, [retiredKid]);
      assert.deepEqual(after, [kid, retiredKid]);
      const secret = await readClientSecret(server.dataDir, operator.clientId);
      const { body } = await clientCredentials(server.identity.tokenEndpoint, {
        client_id: operator.clientId,
        client_secret: secret,
        scope: 'api://batch-orchestrator/.default',
      });
      assert.equal(decodeProtectedHeader(body.access_token as string).kid, kid);
    } finally {
      await server.stop();
    }
  });

  test('a retired key leaves the JWKS after its retention', async () => {
    let now = Date.now();
    const server = await startTestIdentity({ now: () => now, retiredKeyRetentionSeconds: 60 });
    try {
      const { kid } = await server.identity.rotateKeys();
      now += 61_000;
      assert.deepEqual(
        (await jwks(server.identity.url)).keys.map((key) => key.kid),
        [kid],
      );
    } finally {
      await server.stop();
    }
  });
});
