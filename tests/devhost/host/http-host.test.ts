import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startFunctionHost, type FunctionHost } from '../../../devhost/src/functions-host/index.js';
import { createLogger } from '../../../devhost/src/log.js';

const APP_DIR = join(import.meta.dirname, '../../fixtures/apps/http-basic');
const logger = createLogger({ json: true, level: 'error', write: () => undefined });

let dataDir: string;
let host: FunctionHost;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'devhost-http-'));
  host = await startFunctionHost({ appDir: APP_DIR, port: 0, dataDir, logger, maxRequestBodyBytes: 1024 });
});

after(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('an anonymous GET route answers with the function JSON body', async () => {
  const res = await fetch(`${host.url}/api/hello?name=ada`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(((await res.json()) as { greeting: string }).greeting, 'hello from local.settings.json');
});

test('binary request bodies and headers reach the function unchanged and come back unchanged', async () => {
  const body = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
  const res = await fetch(`${host.url}/api/echo/42/a/b/c`, {
    method: 'PUT',
    headers: { 'content-type': 'application/x-fixture' },
    body,
  });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('x-echo-id'), '42');
  assert.equal(res.headers.get('content-type'), 'application/x-fixture');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), body);
});

test('a route constraint that fails answers 404', async () => {
  const res = await fetch(`${host.url}/api/echo/not-a-number/x`, { method: 'POST', body: 'x' });
  assert.equal(res.status, 404);
});

test('a known route with a method it does not accept answers 404, as the Functions host does', async () => {
  const res = await fetch(`${host.url}/api/echo/1/x`);
  assert.equal(res.status, 404);
});

test('an unknown path answers 404 with an empty body', async () => {
  const res = await fetch(`${host.url}/api/nowhere`);
  assert.equal(res.status, 404);
  assert.equal(await res.text(), '');
});

test('a function-level route refuses a request without a key with 401', async () => {
  const res = await fetch(`${host.url}/api/items/a`);
  assert.equal(res.status, 401);
});

test('a function-level route accepts the function key in x-functions-key', async () => {
  const res = await fetch(`${host.url}/api/items/a`, { headers: { 'x-functions-key': host.keys.function } });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { name: 'a', version: null, method: 'GET' });
});

test('a function-level route accepts the master key as the code query parameter', async () => {
  const res = await fetch(`${host.url}/api/items/a/7?code=${encodeURIComponent(host.keys.master)}`, {
    method: 'DELETE',
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { name: 'a', version: '7', method: 'DELETE' });
});

test('a wrong key is refused', async () => {
  const res = await fetch(`${host.url}/api/items/a`, { headers: { 'x-functions-key': 'wrong' } });
  assert.equal(res.status, 401);
});

test('an admin-level route refuses the function key and accepts the master key', async () => {
  const withFunctionKey = await fetch(`${host.url}/api/admin-only?code=${host.keys.function}`);
  const withMaster = await fetch(`${host.url}/api/admin-only`, {
    headers: { 'x-functions-key': host.keys.master },
  });
  assert.equal(withFunctionKey.status, 401);
  assert.equal(withMaster.status, 200);
  assert.equal(await withMaster.text(), 'admin ok');
});

test('cookies and headers a function sets reach the client', async () => {
  const res = await fetch(`${host.url}/api/cookies`);
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('x-multi'), 'one');
  assert.deepEqual(res.headers.getSetCookie(), ['theme=dark', 'session=abc; Path=/; HttpOnly']);
});

test('a function that throws answers 500 with an empty body', async () => {
  const res = await fetch(`${host.url}/api/fails`);
  assert.equal(res.status, 500);
  assert.equal(await res.text(), '');
});

test('a body over the size limit answers 413 without invoking the function', async () => {
  const res = await fetch(`${host.url}/api/echo/1/x`, { method: 'POST', body: Buffer.alloc(2048) });
  assert.equal(res.status, 413);
});

test('the admin API needs the master key', async () => {
  const refused = await fetch(`${host.url}/admin/host/status`);
  const allowed = await fetch(`${host.url}/admin/host/status`, {
    headers: { 'x-functions-key': host.keys.master },
  });
  assert.equal(refused.status, 401);
  assert.deepEqual(await allowed.json(), { state: 'Running', version: 'devhost' });
});

test('keys are stored in the data folder with mode 0600 and survive a restart', async () => {
  const mode = statSync(join(dataDir, 'keys.json')).mode & 0o777;
  assert.equal(mode, 0o600);
  const again = await startFunctionHost({ appDir: APP_DIR, port: 0, dataDir, logger, timers: false });
  try {
    assert.deepEqual(again.keys, host.keys);
    assert.notEqual(again.keys.master, again.keys.function);
  } finally {
    await again.close();
  }
});

test('an app with durable functions gets the durable extension: client bindings and its webhooks work', async () => {
  assert.ok(host.durable, 'the durable extension started');
  const client = await fetch(`${host.url}/api/client-info`);
  const refused = await fetch(`${host.url}/runtime/webhooks/durabletask/instances`);
  const listed = await fetch(`${host.url}/runtime/webhooks/durabletask/instances?code=${host.keys.system}`);

  assert.equal(client.status, 200);
  assert.deepEqual(await client.json(), { taskHubName: host.durable.taskHubName });
  assert.equal(refused.status, 401);
  assert.equal(listed.status, 200);
});
