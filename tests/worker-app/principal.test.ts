import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  MAX_PRINCIPAL_HEADER_LENGTH,
  PrincipalError,
  parseClientPrincipal,
} from '../../worker-app/src/auth/client-principal.js';
import { listItems } from '../../worker-app/src/functions/list-items.js';
import {
  CALLER_APP_ID,
  CALLER_OBJECT_ID,
  ROLE_CLAIM_TYPE,
  authHeaders,
  bodyOf,
  encodePrincipal,
  headerOf,
  listRequest,
  principalJson,
  testContext,
  useSettings,
} from './helpers.js';

function rejects(header: string | null, reason: string | RegExp, principalId?: string): void {
  assert.throws(
    () => parseClientPrincipal(header, principalId),
    (error: unknown) => {
      assert.ok(error instanceof PrincipalError);
      if (typeof reason === 'string') assert.equal(error.reason, reason);
      else assert.match(error.reason, reason);
      return true;
    },
  );
}

describe('parseClientPrincipal', () => {
  test('decodes roles, caller app id and object id from an Easy Auth principal', () => {
    const principal = parseClientPrincipal(
      encodePrincipal(principalJson({ roles: ['Worker.Invoke', 'Other'] })),
    );
    assert.deepEqual([...principal.roles].sort(), ['Other', 'Worker.Invoke']);
    assert.equal(principal.callerAppId, CALLER_APP_ID);
    assert.equal(principal.objectId, CALLER_OBJECT_ID);
    assert.equal(principal.authType, 'aad');
  });

  test('reads roles from claims typed "roles" as well as from role_typ', () => {
    const json = principalJson({ roles: [], extraClaims: [{ typ: 'roles', val: 'Worker.Invoke' }] });
    assert.ok(parseClientPrincipal(encodePrincipal(json)).roles.has('Worker.Invoke'));
  });

  test('falls back to appid and the long object id claim type (v1 tokens)', () => {
    const json = {
      auth_typ: 'aad',
      role_typ: ROLE_CLAIM_TYPE,
      claims: [
        { typ: 'appid', val: CALLER_APP_ID.toUpperCase() },
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: CALLER_OBJECT_ID },
      ],
    };
    const principal = parseClientPrincipal(encodePrincipal(json));
    assert.equal(principal.callerAppId, CALLER_APP_ID);
    assert.equal(principal.objectId, CALLER_OBJECT_ID);
  });

  test('ignores role-looking claims whose type is neither role_typ nor roles (spoofed roles)', () => {
    const json = principalJson({
      roles: [],
      extraClaims: [
        { typ: 'role', val: 'Worker.Invoke' },
        { typ: 'Worker.Invoke', val: 'true' },
        { typ: 'groups', val: 'Worker.Invoke' },
        { typ: `${ROLE_CLAIM_TYPE}s`, val: 'Worker.Invoke' },
      ],
    });
    assert.equal(parseClientPrincipal(encodePrincipal(json)).roles.size, 0);
  });

  test('rejects a missing or empty header', () => {
    rejects(null, 'header missing');
    rejects('', 'header missing');
    rejects('   ', 'header missing');
  });

  test('rejects truncated base64', () => {
    const header = encodePrincipal(principalJson());
    rejects(header.slice(0, header.length - 3), /not base64|not JSON/);
    rejects(header.slice(0, 40), /not base64|not JSON/);
  });

  test('rejects text that is not base64', () => {
    rejects('this is not base64!', 'not base64');
    rejects(`${encodePrincipal(principalJson())}%`, 'not base64');
    rejects(JSON.stringify(principalJson()), 'not base64');
  });

  test('rejects base64 of something that is not JSON', () => {
    rejects(Buffer.from('{"auth_typ":"aad", claims').toString('base64'), 'not JSON');
    rejects(Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64'), 'not JSON');
  });

  test('rejects JSON of the wrong shape', () => {
    rejects(encodePrincipal([1, 2]), 'not a JSON object');
    rejects(encodePrincipal('aad'), 'not a JSON object');
    rejects(encodePrincipal({ ...principalJson(), claims: 'roles' }), 'claims is not an array');
    rejects(encodePrincipal({ ...principalJson(), claims: [{ typ: 'roles', val: 7 }] }), /not \{typ, val\}/);
    rejects(encodePrincipal({ ...principalJson(), claims: [null] }), /not \{typ, val\}/);
    rejects(encodePrincipal({ ...principalJson(), role_typ: ['roles'] }), 'role_typ is not a string');
  });

  test('rejects principals of another identity provider', () => {
    rejects(encodePrincipal(principalJson({ authType: 'github' })), 'auth_typ is not aad');
    rejects(encodePrincipal({ claims: [] }), 'auth_typ is not aad');
  });

  test('rejects two different caller app ids or object ids', () => {
    const twoApps = principalJson({ extraClaims: [{ typ: 'azp', val: 'another-app' }] });
    rejects(encodePrincipal(twoApps), 'conflicting azp claims');
    const twoOids = principalJson({ extraClaims: [{ typ: 'oid', val: 'another-object' }] });
    rejects(encodePrincipal(twoOids), 'conflicting oid claims');
  });

  test('rejects a principal id header that disagrees with the object id claim', () => {
    rejects(encodePrincipal(principalJson()), /does not match/, 'ffffffff-0000-0000-0000-000000000000');
  });

  test('rejects a huge header before decoding it', () => {
    const filler = Array.from({ length: 400 }, (_, i) => ({ typ: `x${i}`, val: 'y'.repeat(40) }));
    const header = encodePrincipal(principalJson({ extraClaims: filler }));
    assert.ok(header.length > MAX_PRINCIPAL_HEADER_LENGTH);
    rejects(header, 'header too large');
  });

  test('rejects a claim value too long to be real', () => {
    rejects(
      encodePrincipal(principalJson({ extraClaims: [{ typ: 'name', val: 'n'.repeat(5000) }] })),
      /too long/,
    );
  });
});

describe('authorization of a request', () => {
  // These requests are refused before any storage is touched, so no store is configured.
  const settings = { WORKER_ALLOWED_CALLERS: CALLER_APP_ID, WORKER_BENCH_ENABLED: 'true' };

  test('answers 401 problem+json with WWW-Authenticate when the principal is missing', async () => {
    useSettings(settings);
    const { context, events } = testContext();
    const response = await listItems(listRequest('bench', {}, {}), context);
    assert.equal(response.status, 401);
    assert.equal(headerOf(response, 'content-type'), 'application/problem+json');
    assert.equal(headerOf(response, 'www-authenticate'), 'Bearer');
    assert.equal(bodyOf(response).type, 'urn:batch-worker:problem:unauthenticated');
    assert.deepEqual(
      events.map((e) => [e.event, e.properties.reason]),
      [['request.unauthorized', 'header missing']],
    );
  });

  test('answers 401 for a malformed principal and never logs the header value', async () => {
    useSettings(settings);
    const { context, events } = testContext();
    const forged = Buffer.from('{"auth_typ":"aad","claims":[{"typ":"roles","val":"Worker.Invoke"}').toString(
      'base64',
    );
    const response = await listItems(listRequest('bench', {}, { 'x-ms-client-principal': forged }), context);
    assert.equal(response.status, 401);
    assert.ok(events.every((e) => !e.raw.includes(forged) && !e.raw.includes('Worker.Invoke')));
  });

  test('answers 403 when the caller lacks the Worker.Invoke role', async () => {
    useSettings(settings);
    const { context, events } = testContext();
    const response = await listItems(
      listRequest('bench', {}, authHeaders({ roles: ['Runs.Read'] })),
      context,
    );
    assert.equal(response.status, 403);
    assert.equal(bodyOf(response).type, 'urn:batch-worker:problem:forbidden');
    assert.equal(events[0]?.event, 'request.forbidden');
    assert.equal(events[0]?.properties.callerAppId, CALLER_APP_ID);
  });

  test('honours WORKER_REQUIRED_ROLE', async () => {
    useSettings({ ...settings, WORKER_REQUIRED_ROLE: 'Batch.Run' });
    const { context } = testContext();
    const refused = await listItems(listRequest('bench'), context);
    assert.equal(refused.status, 403);
    const admitted = await listItems(
      listRequest('bench', {}, authHeaders({ roles: ['Batch.Run'] })),
      context,
    );
    assert.equal(admitted.status, 200);
  });

  test('answers 403 when the caller app id is not on the allow-list', async () => {
    useSettings(settings);
    const { context, events } = testContext();
    const response = await listItems(
      listRequest('bench', {}, authHeaders({ appId: 'not-allowed-app' })),
      context,
    );
    assert.equal(response.status, 403);
    assert.equal(bodyOf(response).type, 'urn:batch-worker:problem:caller-not-allowed');
    assert.equal(events[0]?.properties.reason, 'caller-not-allowed');
  });

  test('answers 403 when the principal names no caller app at all', async () => {
    useSettings(settings);
    const { context } = testContext();
    const response = await listItems(listRequest('bench', {}, authHeaders({ appId: null })), context);
    assert.equal(response.status, 403);
  });

  test('refuses everybody while WORKER_ALLOWED_CALLERS is unset, and says so in the log', async () => {
    useSettings({ WORKER_BENCH_ENABLED: 'true' });
    const { context, events } = testContext();
    const response = await listItems(listRequest('bench'), context);
    assert.equal(response.status, 403);
    assert.equal(events.filter((e) => e.event === 'callers.unconfigured').length, 1);

    const again = testContext();
    assert.equal((await listItems(listRequest('bench'), again.context)).status, 403);
    assert.equal(again.events.filter((e) => e.event === 'callers.unconfigured').length, 0);
  });

  test('admits an allowed caller with the role, matching app ids without regard to case', async () => {
    useSettings({ ...settings, WORKER_ALLOWED_CALLERS: ` other , ${CALLER_APP_ID.toUpperCase()} ` });
    const { context } = testContext();
    const response = await listItems(listRequest('bench', { limit: '2' }), context);
    assert.equal(response.status, 200);
  });
});
