// The dashboard server against a stand-in management API: it adds the key, never lets it out, and
// refuses what it must (read-only writes, calls without the dashboard header, foreign hosts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startDashboard, type Dashboard } from '../../devhost/src/dashboard/index.js';
import { createLogger } from '../../devhost/src/log.js';
import {
  fakeInstance,
  startFakeManagementApi,
  type FakeManagementApi,
} from './helpers/fake-management-api.js';

const KEY = 'system-key-for-dashboard-tests-0123456789';
const HEADERS = { 'x-dashboard-request': '1' };
const quiet = createLogger({ write: () => {} });

let api: FakeManagementApi;
let dashboard: Dashboard;
let readOnly: Dashboard;

before(async () => {
  api = await startFakeManagementApi(KEY, [
    fakeInstance('run-1', 'runOrchestrator', 'Running'),
    fakeInstance('run-2', 'runOrchestrator', 'Completed'),
    fakeInstance('run-3', 'chunkOrchestrator', 'Running'),
  ]);
  dashboard = await startDashboard({
    port: 0,
    managementBaseUrl: api.baseUrl,
    systemKey: KEY,
    logger: quiet,
  });
  readOnly = await startDashboard({
    port: 0,
    managementBaseUrl: api.baseUrl,
    systemKey: KEY,
    readOnly: true,
    logger: quiet,
  });
});

after(async () => {
  await dashboard.close();
  await readOnly.close();
  await api.close();
});

test('the config endpoint tells the UI the mode and never the key', async () => {
  const response = await fetch(new URL('api/config', dashboard.url), { headers: HEADERS });
  const text = await response.text();
  assert.equal(response.status, 200);
  assert.deepEqual(JSON.parse(text), { readOnly: false, hasRunApi: false, target: api.baseUrl });
  assert.equal(text.includes(KEY), false);
});

test('list calls reach the management API with the key added in a header', async () => {
  const response = await fetch(new URL('api/mgmt/instances?top=2&showInput=false', dashboard.url), {
    headers: HEADERS,
  });
  assert.equal(response.status, 200);
  assert.equal(((await response.json()) as unknown[]).length, 2);
  assert.equal(response.headers.get('x-ms-continuation-token'), '2');
  assert.equal(api.requests.at(-1)?.key, KEY);
});

test('the continuation token goes upstream and the next page comes back', async () => {
  const response = await fetch(new URL('api/mgmt/instances?top=2', dashboard.url), {
    headers: { ...HEADERS, 'x-ms-continuation-token': '2' },
  });
  const page = (await response.json()) as { instanceId: string }[];
  assert.deepEqual(
    page.map((i) => i.instanceId),
    ['run-3'],
  );
  assert.equal(response.headers.get('x-ms-continuation-token'), null);
});

test('the key the management API embeds in its answers is scrubbed', async () => {
  const restart = await fetch(new URL('api/mgmt/instances/run-2/restart', dashboard.url), {
    method: 'POST',
    headers: HEADERS,
  });
  const status = await fetch(new URL('api/mgmt/instances/run-1', dashboard.url), { headers: HEADERS });
  const bodies = (await restart.text()) + (await status.text());
  assert.equal(restart.status, 202);
  assert.ok(bodies.includes('[redacted]'));
  assert.equal(bodies.includes(KEY), false);
  assert.equal(status.headers.get('location'), null);
});

test('calls without the dashboard header are refused before reaching upstream', async () => {
  const before = api.requests.length;
  const response = await fetch(new URL('api/mgmt/instances/run-1/terminate', dashboard.url), {
    method: 'POST',
  });
  assert.equal(response.status, 403);
  assert.equal(api.requests.length, before);
});

test('a read-only dashboard refuses every write', async () => {
  const before = api.requests.length;
  for (const [method, path] of [
    ['POST', 'api/mgmt/instances/run-1/terminate'],
    ['DELETE', 'api/mgmt/instances/run-2'],
  ] as const) {
    const response = await fetch(new URL(path, readOnly.url), { method, headers: HEADERS });
    assert.equal(response.status, 403);
  }
  assert.equal(api.requests.length, before);
  const config = (await (await fetch(new URL('api/config', readOnly.url), { headers: HEADERS })).json()) as {
    readOnly: boolean;
  };
  assert.equal(config.readOnly, true);
});

test('paths outside the instances resource are not proxied', async () => {
  const response = await fetch(new URL('api/mgmt/../admin/host/keys', dashboard.url), { headers: HEADERS });
  assert.equal(response.status, 404);
  const other = await fetch(new URL('api/mgmt/orchestrators/x', dashboard.url), {
    method: 'POST',
    headers: HEADERS,
  });
  assert.equal(other.status, 404);
});

test('a request for a foreign host name is refused (DNS rebinding)', async () => {
  const { request } = await import('node:http');
  const status = await new Promise<number>((resolve, reject) => {
    const url = new URL('api/config', dashboard.url);
    const req = request(url, { headers: { ...HEADERS, host: 'attacker.example:80' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 421);
});

test('a wrong key comes back as 401 for the UI to explain', async () => {
  const wrong = await startDashboard({
    port: 0,
    managementBaseUrl: api.baseUrl,
    systemKey: 'not-the-key',
    logger: quiet,
  });
  try {
    const response = await fetch(new URL('api/mgmt/instances', wrong.url), { headers: HEADERS });
    assert.equal(response.status, 401);
  } finally {
    await wrong.close();
  }
});

test('an unreachable management API answers 502 problem+json', async () => {
  const gone = await startDashboard({
    port: 0,
    managementBaseUrl: 'http://127.0.0.1:9/runtime/webhooks/durabletask',
    systemKey: KEY,
    logger: quiet,
  });
  try {
    const response = await fetch(new URL('api/mgmt/instances', gone.url), { headers: HEADERS });
    assert.equal(response.status, 502);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await response.json()) as { title: string }).title, 'Management API unreachable');
  } finally {
    await gone.close();
  }
});

test('the run API gets a bearer token and the token never comes back', async () => {
  const { createServer } = await import('node:http');
  const seen: string[] = [];
  const runApi = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization}`);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id: 'run-1', echo: req.headers.authorization }));
  });
  await new Promise<void>((resolve) => runApi.listen(0, '127.0.0.1', resolve));
  const port = (runApi.address() as { port: number }).port;
  const withRuns = await startDashboard({
    port: 0,
    managementBaseUrl: api.baseUrl,
    systemKey: KEY,
    runApi: { baseUrl: `http://127.0.0.1:${port}`, getToken: () => Promise.resolve('tok-abcdef') },
    logger: quiet,
  });
  try {
    const text = await (await fetch(new URL('api/runs/run-1', withRuns.url), { headers: HEADERS })).text();
    assert.deepEqual(seen, ['/api/runs/run-1 Bearer tok-abcdef']);
    assert.equal(text.includes('tok-abcdef'), false);
  } finally {
    await withRuns.close();
    runApi.close();
    runApi.closeAllConnections();
  }
});

test('static paths cannot climb out of the UI folder', async () => {
  for (const path of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/%E0%A4%A']) {
    const response = await fetch(new URL(path, dashboard.url));
    assert.ok(response.status === 404 || response.status === 400, `${path}: ${response.status}`);
  }
});

test('static files are served with a content security policy that allows only this origin', async () => {
  const response = await fetch(dashboard.url);
  assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.ok(response.status === 200 || response.status === 503);
});
