// The run API handlers with a real DurableClient (against an in-memory client RPC stub) and the failure
// list in a real Azurite.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import functions, { type HttpResponseInit } from '@azure/functions';

import { startAzurite, type RunningAzurite } from '../../devhost/src/azurite.js';
import {
  cancelRun,
  getRun,
  listRuns,
  retryFailed,
  startRun,
  startRunOnce,
} from '../../orchestrator-app/src/http/runs-api.js';
import type { RunInput, RunStatus } from '../../orchestrator-app/src/orchestrations/run-model.js';
import { failureStore } from '../../orchestrator-app/src/services.js';
import { startDurableStub, type DurableStub, type StoredInstance } from './helpers/durable-client.js';

let azurite: RunningAzurite;
let durable: DurableStub;

before(async () => {
  azurite = await startAzurite();
  process.env.FAILURES_STORAGE = azurite.connectionString;
  durable = await startDurableStub();
});

after(async () => {
  await durable.close();
  await azurite.stop();
});

function principal(...roles: string[]): string {
  const claims = [
    { typ: 'oid', val: '00000000-0000-0000-0000-0000000000aa' },
    ...roles.map((val) => ({ typ: 'roles', val })),
  ];
  return Buffer.from(
    JSON.stringify({ auth_typ: 'aad', claims, name_typ: 'name', role_typ: 'roles' }),
  ).toString('base64');
}
const OPERATOR = principal('Runs.Operate');
const READER = principal('Runs.Read');

function request(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; params?: Record<string, string> } = {},
) {
  return new functions.HttpRequest({
    method,
    url: `http://127.0.0.1:7071${path}`,
    headers: options.headers ?? {},
    params: options.params ?? {},
    ...(options.body !== undefined
      ? { body: { string: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } }
      : {}),
  });
}

function body<T = Record<string, unknown>>(response: HttpResponseInit): T {
  return response.jsonBody as T;
}

function put(instance: Partial<StoredInstance> & { instanceId: string }): void {
  durable.instances.set(instance.instanceId, {
    name: 'runOrchestrator',
    runtimeStatus: 'Running',
    input: { runId: instance.instanceId, job: 'statements', period: '2026-11', trigger: 'api' },
    output: null,
    customStatus: null,
    createdTime: '2026-12-01T02:00:00.000Z',
    lastUpdatedTime: '2026-12-01T02:05:00.000Z',
    ...instance,
  });
}

const start = (payload: unknown, headers: Record<string, string> = {}) =>
  startRun(
    request('POST', '/api/runs', {
      body: payload,
      headers: { 'x-ms-client-principal': OPERATOR, ...headers },
    }),
    durable.client(),
    durable.context(),
  );

/** `GET /api/runs/{id}` as the caller with the principal `as` (a reader by default). */
const get = (id: string, as = READER) =>
  getRun(
    request('GET', `/api/runs/${id}`, { params: { id }, headers: { 'x-ms-client-principal': as } }),
    durable.client(),
  );

test('a start without a principal is 401 and with only Runs.Read is 403, as problem+json', async () => {
  const anonymous = await startRun(
    request('POST', '/api/runs', { body: { job: 'statements' } }),
    durable.client(),
    durable.context(),
  );
  assert.equal(anonymous.status, 401);
  assert.equal((anonymous.headers as Record<string, string>)['content-type'], 'application/problem+json');
  assert.equal((anonymous.headers as Record<string, string>)['www-authenticate'], 'Bearer');
  const reader = await startRun(
    request('POST', '/api/runs', {
      body: { job: 'statements' },
      headers: { 'x-ms-client-principal': READER },
    }),
    durable.client(),
    durable.context(),
  );
  assert.equal(reader.status, 403);
  const garbage = await startRun(
    request('POST', '/api/runs', { body: {}, headers: { 'x-ms-client-principal': 'not-base64-json' } }),
    durable.client(),
    durable.context(),
  );
  assert.equal(garbage.status, 401);
});

test('a start is 202 with a Location and a pending run document, and starts runOrchestrator', async () => {
  const response = await start({ job: 'statements', period: '2026-10', maxParallel: 16, chunkSize: 100 });
  assert.equal(response.status, 202);
  const doc = body<{ id: string; status: string; job: string; period: string }>(response);
  assert.equal((response.headers as Record<string, string>).location, `/api/runs/${doc.id}`);
  assert.deepEqual([doc.status, doc.job, doc.period], ['pending', 'statements', '2026-10']);
  const stored = durable.instances.get(doc.id);
  assert.equal(stored?.name, 'runOrchestrator');
  const input = stored?.input as RunInput;
  assert.deepEqual(
    [input.maxParallel, input.chunkSize, input.trigger, input.runId],
    [16, 100, 'api', doc.id],
  );
});

test('the same Idempotency-Key answers 200 with the same run; a different body with it is 422', async () => {
  const first = await start(
    { job: 'statements', period: '2026-09' },
    { 'idempotency-key': 'nightly-2026-09' },
  );
  const again = await start(
    { job: 'statements', period: '2026-09' },
    { 'idempotency-key': 'nightly-2026-09' },
  );
  assert.equal(first.status, 202);
  assert.equal(again.status, 200);
  assert.equal(body(again).id, body(first).id);
  const reused = await start(
    { job: 'statements', period: '2026-08' },
    { 'idempotency-key': 'nightly-2026-09' },
  );
  assert.equal(reused.status, 422);
});

test('invalid start bodies are 400 naming the field', async () => {
  const cases: Array<[unknown, string]> = [
    [{}, 'job'],
    [{ job: 'statements', period: '2026-13' }, 'period'],
    [{ job: 'statements', maxParallel: 0 }, 'maxParallel'],
    [{ job: 'statements', maxParallel: 257 }, 'maxParallel'],
    [{ job: 'statements', chunkSize: 5 }, 'chunkSize'],
    [{ job: 'statements', itemIds: Array.from({ length: 10_001 }, (_, i) => `i${i}`) }, 'itemIds'],
    [{ job: 'statements', itemIds: ['ok', 'has space'] }, 'itemIds'],
    [{ job: 'statements', color: 'blue' }, 'color'],
    ['{not json', 'body'],
  ];
  for (const [payload, field] of cases) {
    const response = await start(payload);
    assert.equal(response.status, 400, JSON.stringify(payload).slice(0, 80));
    assert.equal(body(response).field, field);
  }
});

test('GET a run maps the durable status and custom status to the run document, without management URLs', async () => {
  const progress: Partial<RunStatus> = {
    total: 200,
    succeeded: 90,
    failed: 10,
    skipped: 0,
    retries: 4,
    throttledWaits: 1,
    sample: [{ itemId: 'a', outcome: 'failed', status: 422, reason: 'bad' }],
    failureList: 'run-failures/run-get/',
    phase: 'processing',
    startedAt: '2026-12-01T02:00:00.000Z',
    finishedAt: null,
    reason: null,
  };
  put({ instanceId: 'run-get', customStatus: progress });
  const response = await get('run-get');
  assert.equal(response.status, 200);
  const doc = body(response);
  assert.deepEqual(doc.progress, {
    total: 200,
    succeeded: 90,
    failed: 10,
    skipped: 0,
    retries: 4,
    throttledWaits: 1,
    percent: 50,
    totalFinal: false,
  });
  assert.deepEqual(doc.failures, { count: 10, sample: progress.sample, blob: 'run-failures/run-get/' });
  assert.equal(doc.status, 'running');
  assert.doesNotMatch(JSON.stringify(doc), /code=|system-key|webhooks/);
});

test('a completed run shows its summary and 100 percent; a failed one its reason', async () => {
  const summary: Partial<RunStatus> = {
    total: 3,
    succeeded: 3,
    failed: 0,
    skipped: 0,
    retries: 0,
    throttledWaits: 0,
    sample: [],
    failureList: null,
    pages: 1,
    chunks: 1,
    generation: 0,
    phase: 'completed',
    startedAt: '2026-12-01T02:00:00.000Z',
    finishedAt: '2026-12-01T02:01:00.000Z',
    reason: null,
  };
  put({ instanceId: 'run-done', runtimeStatus: 'Completed', customStatus: summary, output: summary });
  const done = body(await get('run-done', OPERATOR));
  assert.equal(done.status, 'completed');
  assert.equal((done.progress as { percent: number }).percent, 100);
  assert.deepEqual(done.summary, {
    startedAt: '2026-12-01T02:00:00.000Z',
    finishedAt: '2026-12-01T02:01:00.000Z',
    durationMs: 60_000,
    pages: 1,
    chunks: 1,
    generations: 1,
  });

  put({
    instanceId: 'run-denied',
    runtimeStatus: 'Failed',
    customStatus: {
      ...summary,
      phase: 'failed',
      reason: "the orchestrator's identity lacks the Worker.Invoke role",
    },
    output: 'RunStoppedError: x',
  });
  const failed = body(await get('run-denied'));
  assert.equal(failed.status, 'failed');
  assert.match(String(failed.reason), /lacks the Worker\.Invoke role/);
});

test('GET an unknown run is 404; a malformed id is 400; a chunk instance is not a run', async () => {
  assert.equal((await get('run-missing')).status, 404);
  assert.equal(body(await get('bad id!')).field, 'id');
  put({ instanceId: 'run-x-chunk', name: 'chunkOrchestrator' });
  assert.equal((await get('run-x-chunk')).status, 404);
});

test('the list pages newest first with a continuation token and filters by status', async () => {
  for (let i = 0; i < 5; i += 1) {
    put({
      instanceId: `run-list-${i}`,
      runtimeStatus: i % 2 ? 'Completed' : 'Running',
      createdTime: `2027-01-0${i + 1}T00:00:00.000Z`,
    });
  }
  const list = (query: string) =>
    listRuns(
      request('GET', `/api/runs?${query}`, { headers: { 'x-ms-client-principal': READER } }),
      durable.client(),
    );
  const first = body<{ runs: Array<{ id: string }>; continuationToken: string | null }>(
    await list('from=2027-01-01T00:00:00Z&top=2'),
  );
  assert.deepEqual(
    first.runs.map((r) => r.id),
    ['run-list-4', 'run-list-3'],
  );
  assert.ok(first.continuationToken);
  const second = body<{ runs: Array<{ id: string }>; continuationToken: string | null }>(
    await list(`from=2027-01-01T00:00:00Z&top=2&continuationToken=${first.continuationToken}`),
  );
  assert.deepEqual(
    second.runs.map((r) => r.id),
    ['run-list-2', 'run-list-1'],
  );
  const completed = body<{ runs: Array<{ id: string; status: string }> }>(
    await list('from=2027-01-01T00:00:00Z&status=completed'),
  );
  assert.deepEqual(
    completed.runs.map((r) => r.id),
    ['run-list-3', 'run-list-1'],
  );
  assert.equal(body(await list('top=0')).field, 'top');
  assert.equal(body(await list('status=done')).field, 'status');
  assert.equal(
    body(await list(`status=completed&continuationToken=${first.continuationToken}`)).field,
    'continuationToken',
  );
});

test('cancel terminates a running run (202), is 409 when finished and 404 when unknown', async () => {
  put({ instanceId: 'run-cancel' });
  const cancel = (id: string, as = OPERATOR) =>
    cancelRun(
      request('POST', `/api/runs/${id}/cancel`, {
        params: { id },
        headers: { 'x-ms-client-principal': as },
      }),
      durable.client(),
      durable.context(),
    );
  assert.equal((await cancel('run-cancel')).status, 202);
  assert.equal(durable.instances.get('run-cancel')?.runtimeStatus, 'Terminated');
  assert.equal((await cancel('run-cancel')).status, 409);
  assert.equal((await cancel('run-nope')).status, 404);
  assert.equal((await cancel('run-cancel', READER)).status, 403);
});

test('retry-failed starts a run over exactly the failed items of a finished run', async () => {
  const retry = (id: string) =>
    retryFailed(
      request('POST', `/api/runs/${id}/retry-failed`, {
        params: { id },
        headers: { 'x-ms-client-principal': OPERATOR },
      }),
      durable.client(),
      durable.context(),
    );
  put({ instanceId: 'run-src', runtimeStatus: 'Running' });
  assert.equal((await retry('run-src')).status, 409);
  assert.equal((await retry('run-unknown')).status, 404);

  durable.instances.get('run-src')!.runtimeStatus = 'Completed';
  assert.equal((await retry('run-src')).status, 409, 'no failures recorded yet');
  await failureStore().write('run-src', 0, [
    { itemId: 'acct-1', outcome: 'failed', status: 422, reason: 'x' },
    { itemId: 'acct-2', outcome: 'skipped', status: 0, reason: 'y' },
  ]);
  await failureStore().write('run-src', 3, [
    { itemId: 'acct-9', outcome: 'failed', status: 500, reason: 'z' },
  ]);
  const response = await retry('run-src');
  assert.equal(response.status, 202);
  const input = durable.instances.get(body<{ id: string }>(response).id)?.input as RunInput;
  assert.deepEqual(input.itemIds, ['acct-1', 'acct-2', 'acct-9']);
  assert.deepEqual(
    [input.retryOf, input.trigger, input.job, input.period],
    ['run-src', 'retry', 'statements', '2026-11'],
  );
});

test('starting an id that a concurrent request already started resolves with that run', async () => {
  put({ instanceId: 'run-raced', runtimeStatus: 'Running' });
  const input: RunInput = {
    runId: 'run-raced',
    job: 'statements',
    period: '2026-11',
    trigger: 'api',
    maxParallel: 1,
    chunkSize: 10,
    chunksInFlight: 1,
    pagesPerGeneration: 1,
    throttleMaxWaits: 0,
  };
  const existing = await startRunOnce(durable.client(), input);
  assert.equal(existing?.instanceId, 'run-raced');
  assert.equal(await startRunOnce(durable.client(), { ...input, runId: 'run-fresh' }), undefined);
  assert.equal(durable.instances.get('run-fresh')?.runtimeStatus, 'Pending');
});
