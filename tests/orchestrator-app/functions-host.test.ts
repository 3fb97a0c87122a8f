// The built orchestrator app (dist/, as deployed) in devhost's Functions host with its durable backend:
// a run started over HTTP runs to completion against a worker stub, with the real managed-identity
// flow, and neither the API nor the host's logs ever show a token.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startAzurite, type RunningAzurite } from '../../devhost/src/azurite.js';
import { startFunctionHost, type FunctionHost } from '../../devhost/src/functions-host/index.js';
import { createLogger } from '../../devhost/src/log.js';
import { assertBuildIsCurrent } from '../support/app-build.js';
import {
  sendJson,
  startIdentityEndpoint,
  startWorkerStub,
  type WorkerStub,
  type IdentityEndpoint,
} from './helpers/loopback.js';

const APP_DIR = join(import.meta.dirname, '../../orchestrator-app');
const JWT_LIKE = /eyJ[\w-]*\.eyJ[\w-]*\./;
const ITEMS = Array.from({ length: 30 }, (_, i) => `acct-${String(i).padStart(3, '0')}`);
const BROKEN = new Set(['acct-004', 'acct-017']);

let azurite: RunningAzurite;
let identity: IdentityEndpoint;
let worker: WorkerStub;
let host: FunctionHost;
let dataDir: string;
const hostLines: string[] = [];
let healed = false;

const operator = Buffer.from(
  JSON.stringify({
    auth_typ: 'aad',
    name_typ: 'name',
    role_typ: 'roles',
    claims: [{ typ: 'roles', val: 'Runs.Operate' }],
  }),
).toString('base64');

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${host.url}${path}`, {
    ...init,
    headers: {
      'x-ms-client-principal': operator,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
}

async function waitForEnd(id: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const doc = (await (await api(`/api/runs/${id}`)).json()) as Record<string, unknown>;
    if (['completed', 'failed', 'cancelled'].includes(String(doc.status))) return doc;
    if (Date.now() > deadline) throw new Error(`run ${id} did not finish: ${JSON.stringify(doc)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

before(async () => {
  assertBuildIsCurrent(APP_DIR);
  azurite = await startAzurite();
  identity = await startIdentityEndpoint();
  worker = await startWorkerStub((request, res) => {
    if (request.headers.authorization !== `Bearer ${identity.token}`)
      return sendJson(res, 401, { status: 401 });
    const url = new URL(request.path, 'http://127.0.0.1');
    if (request.method === 'GET') {
      const offset = Number(url.searchParams.get('cursor') ?? '0');
      const next = offset + Number(url.searchParams.get('limit'));
      return sendJson(res, 200, {
        job: 'statements',
        items: ITEMS.slice(offset, next).map((id) => ({ id })),
        nextCursor: next < ITEMS.length ? String(next) : null,
      });
    }
    const item = url.pathname.split('/')[5] ?? '';
    if (BROKEN.has(item) && !healed)
      return sendJson(res, 422, { status: 422, title: 'Unprocessable', detail: 'no ledger' });
    return sendJson(res, 200, { job: 'statements', itemId: item, replayed: false, result: {} });
  });
  dataDir = mkdtempSync(join(tmpdir(), 'orchestrator-host-'));
  host = await startFunctionHost({
    appDir: APP_DIR,
    port: 0,
    dataDir,
    logger: createLogger({ json: true, level: 'debug', write: (line) => hostLines.push(line) }),
    env: {
      WORKER_BASE_URL: worker.url,
      WORKER_SCOPE: 'api://batch-worker/.default',
      WORKER_PAGE_SIZE: '10',
      FAILURES_STORAGE: azurite.connectionString,
      IDENTITY_ENDPOINT: identity.url,
      IDENTITY_HEADER: process.env.IDENTITY_HEADER ?? '',
    },
    timers: false,
  });
});

after(async () => {
  await host?.close();
  await worker?.close();
  await identity?.close();
  await azurite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the app registers every function of the contract', () => {
  const names = host.invoker
    .list()
    .map((f) => f.name)
    .sort();
  assert.deepEqual(names, [
    'chunkOrchestrator',
    'health',
    'listItemsPage',
    'processItem',
    'recordFailures',
    'runOrchestrator',
    'runsCancel',
    'runsGet',
    'runsList',
    'runsRetryFailed',
    'runsStart',
    'scheduledRun',
  ]);
  const timer = host.invoker.find('scheduledRun')?.trigger;
  assert.equal(timer?.schedule, '%RUN_SCHEDULE%');
});

test('health answers anonymously', async () => {
  const response = await fetch(`${host.url}/api/health`);
  assert.equal(response.status, 200);
});

test('a run over HTTP completes, its failures retry into a second run, and no token shows anywhere', async () => {
  const started = await api('/api/runs', {
    method: 'POST',
    body: JSON.stringify({ job: 'statements', period: '2026-11', maxParallel: 4, chunkSize: 10 }),
  });
  assert.equal(started.status, 202);
  const { id } = (await started.json()) as { id: string };
  assert.equal(started.headers.get('location'), `/api/runs/${id}`);

  const done = await waitForEnd(id);
  assert.equal(done.status, 'completed', JSON.stringify(done));
  assert.deepEqual(done.progress, {
    total: 30,
    succeeded: 28,
    failed: 2,
    skipped: 0,
    retries: 0,
    throttledWaits: 0,
    percent: 100,
    totalFinal: true,
  });
  assert.deepEqual(
    (done.failures as { sample: Array<{ itemId: string }> }).sample.map((f) => f.itemId),
    [...BROKEN],
  );

  healed = true;
  const retry = await api(`/api/runs/${id}/retry-failed`, { method: 'POST' });
  assert.equal(retry.status, 202);
  const second = await waitForEnd(((await retry.json()) as { id: string }).id);
  assert.equal(second.status, 'completed');
  assert.deepEqual([second.retryOf, (second.progress as { succeeded: number }).succeeded], [id, 2]);

  const list = (await (await api('/api/runs?status=completed')).json()) as { runs: Array<{ id: string }> };
  assert.deepEqual(list.runs.map((r) => r.id).sort(), [id, second.id].sort());
  assert.equal((await api(`/api/runs/${id}/cancel`, { method: 'POST' })).status, 409);

  assert.equal(identity.requests.length, 1);
  assert.ok(
    hostLines.some((line) => line.includes('run.completed')),
    'the host saw the app logs',
  );
  assert.deepEqual(
    hostLines.filter((line) => JWT_LIKE.test(line)),
    [],
  );
  assert.doesNotMatch(JSON.stringify([done, second, list]), /code=|eyJ/);
});
