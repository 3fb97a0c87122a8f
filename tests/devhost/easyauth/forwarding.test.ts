import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import { buildLocalPolicy, startEasyAuthProxy } from '../../../devhost/src/easyauth/index.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { registrations } from '../identity/helpers.js';
import { decodePrincipal, type Harness, rawRequest, startHarness, startUpstream } from './harness.js';

const ROLE_TYPE = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
const OID_TYPE = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

describe('Easy Auth proxy forwarding', () => {
  let h: Harness;
  let token: string;

  before(async () => {
    h = await startHarness('worker');
    token = await h.miToken('worker');
    h.upstream.server.removeAllListeners('request');
    h.upstream.server.on('request', (req, res) => {
      const hash = createHash('sha256');
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      req.on('end', () => {
        h.upstream.seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          rawHeaders: req.rawHeaders,
          body: Buffer.alloc(0),
        });
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.setHeader('X-App', 'yes');
        res.writeHead(req.url?.startsWith('/api/created') ? 201 : 200, {
          'content-type': 'application/json',
        });
        res.write(`{"size":${size},`);
        res.end(`"sha256":"${hash.digest('hex')}"}`);
      });
    });
  });
  beforeEach(() => {
    h.upstream.seen.length = 0;
  });
  after(() => h.close());

  const auth = (): [string, string][] => [['Authorization', `Bearer ${token}`]];

  test('method, path, query and a streamed 2 MiB body arrive unchanged', async () => {
    const body = randomBytes(2 * 1024 * 1024);
    const response = await rawRequest(
      h.proxy.url,
      '/api/created/x%20y?b=2&a=1&a=3',
      [...auth(), ['Content-Type', 'application/octet-stream']],
      {
        method: 'PUT',
        body,
      },
    );
    const answer = JSON.parse(response.body) as { size: number; sha256: string };

    assert.equal(response.status, 201);
    assert.equal(answer.size, body.length);
    assert.equal(answer.sha256, createHash('sha256').update(body).digest('hex'));
    assert.equal(h.upstream.seen[0]?.method, 'PUT');
    assert.equal(h.upstream.seen[0]?.url, '/api/created/x%20y?b=2&a=1&a=3');
  });

  test('response status and headers come back, repeated Set-Cookie included', async () => {
    const response = await rawRequest(h.proxy.url, '/api/jobs', auth());
    assert.equal(response.status, 200);
    assert.deepEqual(response.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(response.headers['x-app'], 'yes');
  });

  test('X-Forwarded-* are set by the proxy; Host and Authorization pass through', async () => {
    await rawRequest(h.proxy.url, '/api/jobs', [
      ...auth(),
      ['X-Forwarded-Proto', 'https'],
      ['X-Forwarded-For', '203.0.113.9'],
      ['X-Custom', 'kept'],
    ]);
    const seen = h.upstream.seen[0]?.headers ?? {};
    const host = new URL(h.proxy.url).host;

    assert.equal(seen['x-forwarded-proto'], 'http');
    assert.equal(seen['x-forwarded-host'], host);
    assert.equal(seen['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
    assert.equal(seen.host, host);
    assert.equal(seen.authorization, `Bearer ${token}`);
    assert.equal(seen['x-custom'], 'kept');
  });

  test('the injected principal is shaped as App Service writes it', async () => {
    await rawRequest(h.proxy.url, '/api/jobs', auth());
    const seen = h.upstream.seen[0]?.headers ?? {};
    const principal = decodePrincipal(seen['x-ms-client-principal']);

    assert.equal(principal.auth_typ, 'aad');
    assert.equal(principal.role_typ, ROLE_TYPE);
    assert.equal(principal.name_typ, 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name');
    assert.deepEqual(
      principal.claims.filter((claim) => claim.typ === 'roles').map((claim) => claim.val),
      ['Worker.Invoke'],
    );
    assert.ok(
      principal.claims.some(
        (claim) => claim.typ === OID_TYPE && claim.val === registrations.orchestratorIdentity.objectId,
      ),
    );
    assert.equal(seen['x-ms-client-principal-id'], registrations.orchestratorIdentity.objectId);
    assert.equal(seen['x-ms-client-principal-name'], registrations.orchestratorIdentity.clientId);
    assert.equal(seen['x-ms-client-principal-idp'], 'aad');
  });

  test('after key rotation a token under the new kid is accepted', async () => {
    await h.identity.rotateKeys();
    const fresh = await h.miToken('worker');
    const response = await rawRequest(h.proxy.url, '/api/jobs', [['Authorization', `Bearer ${fresh}`]]);
    assert.equal(response.status, 200);
    const old = await rawRequest(h.proxy.url, '/api/jobs', auth());
    assert.equal(old.status, 200, 'the retired key is still published');
  });

  test('a token expired by less than the 5-minute skew is still accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const recent = await h.forge({ iat: now - 3600, nbf: now - 3600, exp: now - 60 });
    assert.equal(
      (await rawRequest(h.proxy.url, '/api/jobs', [['Authorization', `Bearer ${recent}`]])).status,
      200,
    );
  });
});

describe('Easy Auth proxy failures around it', () => {
  test('answers 502 when the app behind it does not answer', async () => {
    const h = await startHarness('worker');
    try {
      const token = await h.miToken('worker');
      await h.upstream.close();
      const response = await rawRequest(h.proxy.url, '/api/jobs', [['Authorization', `Bearer ${token}`]]);
      assert.equal(response.status, 502);
    } finally {
      await h.close();
    }
  });

  test('answers 503 with Retry-After when the issuer cannot be reached', async () => {
    const upstream = await startUpstream();
    const { logger } = recordingLogger();
    const proxy = await startEasyAuthProxy({
      port: 0,
      target: upstream.url,
      policy: buildLocalPolicy('worker', registrations, 'http://127.0.0.1:1'),
      logger,
    });
    try {
      const fake = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJzdWIiOiJ4In0.c2ln';
      const response = await rawRequest(proxy.url, '/api/jobs', [['Authorization', `Bearer ${fake}`]]);
      assert.equal(response.status, 503);
      assert.equal(response.headers['retry-after'], '5');
      assert.equal(upstream.seen.length, 0);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  test('with no clock skew a token expired a minute ago is refused', async () => {
    const h = await startHarness('worker', { clockSkewSeconds: 0 });
    try {
      const now = Math.floor(Date.now() / 1000);
      const recent = await h.forge({ iat: now - 3600, nbf: now - 3600, exp: now - 60 });
      assert.equal(
        (await rawRequest(h.proxy.url, '/api/jobs', [['Authorization', `Bearer ${recent}`]])).status,
        401,
      );
      assert.equal(h.upstream.seen.length, 0);
    } finally {
      await h.close();
    }
  });

  test('the proxy clock decides expiry: a fresh token is refused once the clock passes exp plus skew', async () => {
    let offsetMs = 0;
    const h = await startHarness('worker', { now: () => Date.now() + offsetMs });
    try {
      const token = await h.miToken('worker');
      const send = async (): Promise<number> =>
        (await rawRequest(h.proxy.url, '/api/jobs', [['Authorization', `Bearer ${token}`]])).status;
      assert.equal(await send(), 200);
      offsetMs = (24 * 3600 + 301) * 1000;
      assert.equal(await send(), 401);
    } finally {
      await h.close();
    }
  });
});
