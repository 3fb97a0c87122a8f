import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { decodeJwt } from 'jose';

import { miRequest, registrations, startTestIdentity, WORKER_RESOURCE } from './helpers.js';

const { orchestratorIdentity, worker } = registrations;

interface MiAnswer {
  access_token: string;
  expires_on: string;
  resource: string;
  token_type: string;
  client_id: string;
}

describe('App Service managed-identity endpoint', () => {
  let server: Awaited<ReturnType<typeof startTestIdentity>>;

  before(async () => {
    server = await startTestIdentity();
  });
  afterEach(() => server.identity.resetFaults());
  after(() => server.stop());

  test('answers in the 2019-08-01 shape with epoch-second expires_on', async () => {
    const response = await miRequest(server.identity, {
      ...WORKER_RESOURCE,
      client_id: orchestratorIdentity.clientId,
    });
    const body = (await response.json()) as MiAnswer;

    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'client_id',
      'expires_on',
      'resource',
      'token_type',
    ]);
    assert.match(body.expires_on, /^\d{10}$/);
    assert.equal(body.resource, 'api://batch-worker');
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.client_id, orchestratorIdentity.clientId);

    const claims = decodeJwt(body.access_token);
    assert.equal(claims.aud, worker.clientId);
    assert.equal(claims.azp, orchestratorIdentity.clientId);
    assert.equal(claims.oid, orchestratorIdentity.objectId);
    assert.deepEqual(claims.roles, ['Worker.Invoke']);
    assert.equal(claims.exp, Number(body.expires_on));
  });

  test('issues the token without client_id too, and for the client id resource', async () => {
    const response = await miRequest(server.identity, {
      'api-version': '2019-08-01',
      resource: worker.clientId,
    });
    assert.equal(response.status, 200);
  });

  test('rejects a missing or wrong x-identity-header', async () => {
    assert.equal((await miRequest(server.identity, WORKER_RESOURCE, null)).status, 401);
    assert.equal((await miRequest(server.identity, WORKER_RESOURCE, 'guess')).status, 401);
  });

  test('rejects another api-version, an unknown resource and another identity', async () => {
    assert.equal(
      (await miRequest(server.identity, { ...WORKER_RESOURCE, 'api-version': '2017-09-01' })).status,
      400,
    );
    assert.equal(
      (await miRequest(server.identity, { ...WORKER_RESOURCE, resource: 'https://vault.azure.net' })).status,
      400,
    );
    const other = await miRequest(server.identity, {
      ...WORKER_RESOURCE,
      client_id: registrations.operator.clientId,
    });
    assert.equal(other.status, 400);
  });

  test('withoutRoles issues the identity a token lacking that role', async () => {
    await server.identity.setFaults({ withoutRoles: ['Worker.Invoke'] });
    const body = (await (await miRequest(server.identity, WORKER_RESOURCE)).json()) as MiAnswer;
    assert.equal(decodeJwt(body.access_token).roles, undefined);
  });

  test('errorStatus with errorCount fails that many requests, then recovers', async () => {
    await server.identity.setFaults({ errorStatus: 500, errorCount: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await miRequest(server.identity, WORKER_RESOURCE)).status);
    assert.deepEqual(statuses, [500, 500, 200]);
  });

  test('429 carries Retry-After when set', async () => {
    await server.identity.setFaults({ errorStatus: 429, retryAfterSeconds: 7 });
    const response = await miRequest(server.identity, WORKER_RESOURCE);
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '7');
  });

  test('latency delays the answer by at least the set time', async () => {
    await server.identity.setFaults({ latencyMs: 150 });
    const started = performance.now();
    assert.equal((await miRequest(server.identity, WORKER_RESOURCE)).status, 200);
    assert.ok(performance.now() - started >= 145);
  });

  test('refused stops listening until cleared', async () => {
    await server.identity.setFaults({ refused: true });
    // A pooled keep-alive connection may fail first as closed; a new one is refused.
    await miRequest(server.identity, WORKER_RESOURCE).catch(() => undefined);
    await assert.rejects(miRequest(server.identity, WORKER_RESOURCE), (error: Error) => {
      return (error.cause as NodeJS.ErrnoException).code === 'ECONNREFUSED';
    });
    await server.identity.setFaults({ refused: false });
    assert.equal((await miRequest(server.identity, WORKER_RESOURCE)).status, 200);
  });

  test('the admin route sets a 503 outage from outside and counts requests', async () => {
    server.identity.resetStats();
    const set = await fetch(`${server.identity.url}/_devhost/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorStatus: 503, retryAfterSeconds: 1 }),
    });
    assert.equal(set.status, 200);
    assert.equal((await miRequest(server.identity, WORKER_RESOURCE)).status, 503);

    await fetch(`${server.identity.url}/_devhost/faults`, { method: 'DELETE' });
    assert.equal((await miRequest(server.identity, WORKER_RESOURCE)).status, 200);
    const stats = (await (await fetch(`${server.identity.url}/_devhost/stats`)).json()) as Record<
      string,
      number
    >;
    assert.equal(stats.managedIdentityRequests, 2);
    assert.equal(stats.managedIdentityTokens, 1);
    assert.equal(stats.faultsInjected, 1);
  });

  test('the admin route refuses connections for refusedForMs, then listens again', async () => {
    await fetch(`${server.identity.url}/_devhost/faults`, {
      method: 'POST',
      body: JSON.stringify({ refused: true, refusedForMs: 200 }),
    });
    await assert.rejects(miRequest(server.identity, WORKER_RESOURCE));
    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
      status = await miRequest(server.identity, WORKER_RESOURCE).then(
        (response) => response.status,
        () => new Promise<number>((resolve) => setTimeout(() => resolve(0), 50)),
      );
    }
    assert.equal(status, 200);
  });

  test('the admin route rejects unknown fault fields', async () => {
    const response = await fetch(`${server.identity.url}/_devhost/faults`, {
      method: 'POST',
      body: JSON.stringify({ explode: true }),
    });
    assert.equal(response.status, 400);
  });

  test('the admin route changes the token lifetime', async () => {
    await fetch(`${server.identity.url}/_devhost/token-lifetime`, {
      method: 'POST',
      body: '{"seconds":600}',
    });
    const body = (await (await miRequest(server.identity, WORKER_RESOURCE)).json()) as MiAnswer;
    const claims = decodeJwt(body.access_token);
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 600);
  });
});
