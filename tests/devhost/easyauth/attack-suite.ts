import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';

import { exportJWK, generateKeyPair, SignJWT } from 'jose';

import type { ProtectedApp } from '../../../devhost/src/easyauth/index.js';
import { registrations } from '../identity/helpers.js';
import { decodePrincipal, type Harness, rawRequest, type RawResponse, startHarness } from './harness.js';

const ANOTHER_TENANT = '0c8c0f4e-9c5f-4a57-8d4b-7d1c2f6a9e11';
const SPOOFED_PRINCIPAL = Buffer.from(
  JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'roles', val: 'Worker.Invoke' }] }),
).toString('base64');
const SPOOFED_HEADERS: [string, string][] = [
  ['X-MS-CLIENT-PRINCIPAL', SPOOFED_PRINCIPAL],
  ['x-ms-client-principal-id', 'b5c0219b-42c4-4315-b430-99d10621c8ea'],
  ['X-Ms-Client-Principal-Name', 'admin'],
  ['X-MS-CLIENT-PRINCIPAL-IDP', 'aad'],
  ['X-MS-TOKEN-AAD-ACCESS-TOKEN', 'spoofed'],
  ['x-ms-token-aad-id-token', 'spoofed'],
];

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * The attack suite for one app's proxy: every case gets its 401/403/400/431 and the app behind the
 * proxy (a real server on loopback) provably never sees the request.
 */
export function defineAttackSuite(app: ProtectedApp): void {
  const protectedPath = app === 'worker' ? '/api/jobs/statements/items?limit=5' : '/api/runs?top=5';
  const otherResource = app === 'worker' ? 'orchestratorApi' : 'worker';
  const api = app === 'worker' ? registrations.worker : registrations.orchestratorApi;

  describe(`Easy Auth proxy attack suite (${app})`, () => {
    let h: Harness;
    let valid: string;
    const now = (): number => Math.floor(Date.now() / 1000);

    before(async () => {
      h = await startHarness(app);
      valid = app === 'worker' ? await h.miToken('worker') : await h.operatorToken('orchestratorApi');
    });
    beforeEach(() => {
      h.upstream.seen.length = 0;
    });
    after(() => h.close());

    const send = (headers: [string, string][], path = protectedPath): Promise<RawResponse> =>
      rawRequest(h.proxy.url, path, headers);
    const bearer = (token: string): [string, string][] => [['Authorization', `Bearer ${token}`]];

    function expectRejected(response: RawResponse, status: number, reason?: RegExp): void {
      assert.equal(response.status, status, response.body);
      assert.equal(h.upstream.seen.length, 0, 'the app behind the proxy was invoked');
      if (reason && status !== 431)
        assert.match((JSON.parse(response.body) as { detail: string }).detail, reason);
    }

    test('a valid token reaches the app with the injected principal (control case)', async () => {
      const response = await send(bearer(valid));
      assert.equal(response.status, 200);
      assert.equal(h.upstream.seen.length, 1);
      const principal = decodePrincipal(h.upstream.seen[0]?.headers['x-ms-client-principal']);
      assert.equal(principal.auth_typ, 'aad');
      assert.equal(h.upstream.seen[0]?.headers['x-ms-client-principal-idp'], 'aad');
    });

    test('no token: 401 with a WWW-Authenticate Bearer challenge', async () => {
      const response = await send([]);
      expectRejected(response, 401, /no bearer token/);
      const challenge = response.headers['www-authenticate'] ?? '';
      assert.match(
        challenge,
        /^Bearer realm="127\.0\.0\.1:\d+", authorization_uri="http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/oauth2\/v2\.0\/authorize"/,
      );
      assert.match(challenge, new RegExp(`resource_id="${api.clientId}"`));
      assert.equal(response.headers['content-type'], 'application/problem+json');
    });

    test('a Basic credential instead of a bearer token: 401', async () => {
      expectRejected(await send([['Authorization', 'Basic dXNlcjpwYXNz']]), 401, /Bearer/);
    });

    test('a malformed bearer value: 401', async () => {
      expectRejected(await send(bearer('not-a-jwt')), 401, /Bearer/);
    });

    test('three segments that are not JSON: 401', async () => {
      expectRejected(await send(bearer('aaaa.bbbb.cccc')), 401, /malformed/);
    });

    test('an expired token (beyond the skew): 401', async () => {
      const token = await h.forge({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 600 });
      expectRejected(await send(bearer(token)), 401, /expired/);
    });

    test('a token not yet valid (beyond the skew): 401', async () => {
      const token = await h.forge({ nbf: now() + 900, iat: now() + 900, exp: now() + 4000 });
      expectRejected(await send(bearer(token)), 401, /not yet valid/);
    });

    test('a token without exp: 401', async () => {
      const token = await h.forge({}, { omit: ['exp'] });
      expectRejected(await send(bearer(token)), 401, /exp/);
    });

    test('a token for a foreign audience: 401', async () => {
      const token = await h.forge({ aud: '00000003-0000-0000-c000-000000000000' });
      expectRejected(await send(bearer(token)), 401, /aud/);
    });

    test('a token of another issuer: 401', async () => {
      const token = await h.forge({
        iss: `https://login.microsoftonline.com/${registrations.tenantId}/v2.0`,
      });
      expectRejected(await send(bearer(token)), 401, /iss/);
    });

    test('a token of another tenant on the same issuer host: 401', async () => {
      const iss = h.identity.issuer.replace(registrations.tenantId, ANOTHER_TENANT);
      const token = await h.forge({ iss, tid: ANOTHER_TENANT });
      expectRejected(await send(bearer(token)), 401, /iss/);
    });

    test('a tampered payload (bad signature): 401', async () => {
      const [header, , signature] = valid.split('.');
      const payload = base64url({
        ...JSON.parse(Buffer.from(valid.split('.')[1] ?? '', 'base64url').toString()),
        roles: ['Everything'],
      });
      expectRejected(await send(bearer(`${header}.${payload}.${signature}`)), 401, /signature/);
    });

    test('a token signed by a foreign key under the real kid: 401', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const kid = (
        JSON.parse(Buffer.from(valid.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }
      ).kid;
      const token = await new SignJWT({
        azp: registrations.orchestratorIdentity.clientId,
        tid: registrations.tenantId,
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(h.identity.issuer)
        .setAudience(api.clientId)
        .setExpirationTime('1h')
        .sign(privateKey);
      expectRejected(await send(bearer(token)), 401, /signature/);
    });

    test('a token under an unknown kid: 401', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT({ azp: registrations.orchestratorIdentity.clientId })
        .setProtectedHeader({ alg: 'RS256', kid: 'not-a-published-kid' })
        .setIssuer(h.identity.issuer)
        .setAudience(api.clientId)
        .setExpirationTime('1h')
        .sign(privateKey);
      expectRejected(await send(bearer(token)), 401, /kid/);
    });

    test('a token carrying its own key (jwk and jku headers) under the real kid: 401', async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      const kid = (
        JSON.parse(Buffer.from(valid.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }
      ).kid;
      const claims = JSON.parse(Buffer.from(valid.split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const token = await new SignJWT(claims)
        .setProtectedHeader({
          alg: 'RS256',
          kid,
          jwk: await exportJWK(publicKey),
          jku: 'http://127.0.0.1:1/keys',
        })
        .sign(privateKey);
      expectRejected(await send(bearer(token)), 401, /signature/);
    });

    test('an unsigned token (alg none): 401', async () => {
      const claims = JSON.parse(Buffer.from(valid.split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
      expectRejected(await send(bearer(token)), 401, /algorithm/);
    });

    test('HS256 signed with the public key as the secret: 401', async () => {
      const jwks = JSON.parse(
        JSON.stringify(
          await (await fetch(`${h.identity.url}/${registrations.tenantId}/discovery/v2.0/keys`)).json(),
        ),
      ) as {
        keys: Record<string, string>[];
      };
      const pem = createPublicKey({ key: jwks.keys[0] ?? {}, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const claims = JSON.parse(Buffer.from(valid.split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: jwks.keys[0]?.kid ?? '' })
        .sign(new TextEncoder().encode(pem.toString()));
      expectRejected(await send(bearer(token)), 401, /algorithm/);
    });

    test('another application token (azp not allowed): 403', async () => {
      const token = app === 'worker' ? await h.operatorToken('worker') : await h.miToken('orchestratorApi');
      const response = await send(bearer(token));
      expectRejected(response, 403, /allowedApplications/);
      assert.equal(response.headers['www-authenticate'], undefined);
    });

    test('a v1-style token whose appid is not allowed: 403', async () => {
      const token = await h.forge({ appid: registrations.operator.clientId, ver: '1.0' }, { omit: ['azp'] });
      const other =
        app === 'worker'
          ? token
          : await h.forge({ appid: registrations.orchestratorIdentity.clientId }, { omit: ['azp'] });
      expectRejected(await send(bearer(other)), 403, /allowedApplications/);
    });

    test('a valid token for the other API: 401', async () => {
      const token = app === 'worker' ? await h.operatorToken(otherResource) : await h.miToken(otherResource);
      expectRejected(await send(bearer(token)), 401, /aud/);
    });

    test('spoofed principal headers without a token: 401', async () => {
      expectRejected(await send(SPOOFED_HEADERS), 401);
    });

    test('spoofed principal headers beside a valid token: stripped, only the injected principal arrives', async () => {
      const response = await send([...SPOOFED_HEADERS, ...bearer(valid)]);
      assert.equal(response.status, 200);
      const seen = h.upstream.seen[0];
      assert.ok(seen);
      const principalLines = seen.rawHeaders.filter(
        (_, i) => i % 2 === 0 && /^x-ms-(client-principal|token-)/i.test(seen.rawHeaders[i] ?? ''),
      );
      assert.deepEqual(principalLines.map((name) => name.toLowerCase()).sort(), [
        'x-ms-client-principal',
        'x-ms-client-principal-id',
        'x-ms-client-principal-idp',
        'x-ms-client-principal-name',
      ]);
      const principal = decodePrincipal(seen.headers['x-ms-client-principal']);
      assert.notEqual(seen.headers['x-ms-client-principal'], SPOOFED_PRINCIPAL);
      const caller = app === 'worker' ? registrations.orchestratorIdentity : registrations.operator;
      assert.equal(seen.headers['x-ms-client-principal-id'], caller.objectId);
      assert.ok(principal.claims.some((claim) => claim.typ === 'azp' && claim.val === caller.clientId));
    });

    test('two Authorization headers: 400', async () => {
      expectRejected(await send([...bearer(valid), ...bearer(valid)]), 400, /more than one/);
    });

    test('a request head over the limit: 431', async () => {
      expectRejected(await send([...bearer(valid), ['X-Padding', 'a'.repeat(20 * 1024)]]), 431);
    });

    test('the excluded health path needs no token, and spoofed headers are still stripped', async () => {
      const response = await send(SPOOFED_HEADERS, '/api/health');
      assert.equal(response.status, 200);
      assert.equal(h.upstream.seen.length, 1);
      const names = (h.upstream.seen[0]?.rawHeaders ?? []).map((name) => name.toLowerCase());
      assert.ok(
        !names.some((name) => name.startsWith('x-ms-client-principal') || name.startsWith('x-ms-token-')),
      );
    });

    test('a dot-segment path through the excluded prefix still needs a token: 401', async () => {
      const target = app === 'worker' ? '/api/health/../jobs/statements/items' : '/api/health/../runs';
      expectRejected(await send([], target), 401);
    });

    test('a path that only starts with the excluded text is not excluded: 401', async () => {
      expectRejected(await send([], '/api/healthz'), 401);
    });

    test('a token in the query string is not a bearer token: 401', async () => {
      expectRejected(await send([], `${protectedPath}&access_token=${valid}`), 401);
    });

    test('no rejection logs a token', () => {
      const text = JSON.stringify(h.records);
      assert.ok(!text.includes(valid.split('.')[2] ?? 'x'));
      assert.ok(h.records.some((record) => record.event === 'easyauth.rejected'));
    });
  });
}
