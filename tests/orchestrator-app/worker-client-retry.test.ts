// The worker client's retry policy against a real HTTP server and the real @azure/identity talking to
// a local App Service managed-identity endpoint. One process, one credential for every case.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { WorkerUnavailableError } from '../../orchestrator-app/src/errors.js';
import type { WorkerClient } from '../../orchestrator-app/src/worker/worker-client.js';
import {
  loopbackWorkerClient,
  sendJson,
  startIdentityEndpoint,
  startWorkerStub,
  type IdentityEndpoint,
  type WorkerScript,
  type WorkerStub,
} from './helpers/loopback.js';

const REQUEST = { runId: 'run-1', job: 'statements', period: '2026-11', itemId: 'acct-0001' };
const OK_BODY = {
  job: 'statements',
  itemId: 'acct-0001',
  period: '2026-11',
  runId: 'run-1',
  replayed: false,
  result: {},
};

let identity: IdentityEndpoint;
let worker: WorkerStub;
let client: WorkerClient;

/** Answers the scripted statuses in order, then 200. */
function sequence(...steps: Array<WorkerScript>): WorkerScript {
  let index = 0;
  return (request, res, req) => {
    const step = steps[index++];
    if (step) return step(request, res, req);
    sendJson(res, 200, OK_BODY);
  };
}
const status =
  (code: number, headers: Record<string, string> = {}): WorkerScript =>
  (_request, res) =>
    sendJson(
      res,
      code,
      { type: 'about:blank', title: 'x', status: code, detail: `scripted ${code}` },
      headers,
    );

const BACKOFF_MAX_MS = 20;

before(async () => {
  identity = await startIdentityEndpoint();
  worker = await startWorkerStub(() => undefined);
  client = loopbackWorkerClient(worker.url, {
    WORKER_BACKOFF_MIN_MS: '5',
    WORKER_BACKOFF_MAX_MS: String(BACKOFF_MAX_MS),
    WORKER_RETRIES: '3',
    WORKER_RETRY_AFTER_INLINE_MAX_MS: '2500',
  });
});

after(async () => {
  await worker.close();
  await identity.close();
});

function reset(script: WorkerScript): void {
  worker.seen.length = 0;
  worker.script = script;
}

test('a process call sends the bearer token, the idempotency key, a traceparent and the body', async () => {
  reset(sequence());
  const outcome = await client.processItem(REQUEST, {
    traceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  });
  assert.equal(outcome.kind, 'ok');
  const [seen] = worker.seen;
  assert.equal(seen?.method, 'POST');
  assert.equal(seen?.path, '/api/jobs/statements/items/acct-0001/process');
  assert.equal(seen?.headers.authorization, `Bearer ${identity.token}`);
  assert.equal(seen?.headers['idempotency-key'], 'run-1:acct-0001');
  assert.match(String(seen?.headers.traceparent), /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
  assert.deepEqual(JSON.parse(seen?.body ?? ''), { runId: 'run-1', period: '2026-11' });
  assert.equal(identity.requests[0]?.resource, 'api://batch-worker');
});

test('a 401 is retried once with a token asked for again, then succeeds', async () => {
  reset(sequence(status(401)));
  const outcome = await client.processItem(REQUEST);
  assert.equal(outcome.kind, 'ok');
  assert.equal(outcome.attempts, 2);
  assert.equal(worker.seen.length, 2);
});

test('a second 401 ends as auth without a third attempt', async () => {
  reset(sequence(status(401), status(401), status(401)));
  const outcome = await client.processItem(REQUEST);
  assert.equal(outcome.kind, 'auth');
  assert.equal(outcome.kind === 'auth' && outcome.cause, 'unauthorized');
  assert.equal(worker.seen.length, 2);
});

test('a 403 ends as auth at once', async () => {
  reset(sequence(status(403)));
  const outcome = await client.processItem(REQUEST);
  assert.deepEqual(outcome.kind === 'auth' ? [outcome.cause, outcome.status] : outcome, ['forbidden', 403]);
  assert.equal(worker.seen.length, 1);
});

test('a 429 with Retry-After in seconds waits that long inline, then succeeds', async () => {
  reset(sequence(status(429, { 'retry-after': '1' })));
  const outcome = await client.processItem(REQUEST);
  assert.equal(outcome.kind, 'ok');
  const [first, second] = worker.seen;
  assert.ok(second!.at - first!.at >= 950, `waited ${second!.at - first!.at} ms`);
});

test('a 429 with Retry-After as an HTTP date is honoured', async () => {
  const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
  reset(sequence(status(429, { 'retry-after': at.toUTCString() })));
  const outcome = await client.processItem(REQUEST);
  assert.equal(outcome.kind, 'ok');
  assert.ok(worker.seen[1]!.at >= at.getTime() - 50, 'the retry came before the date');
});

test('a 503 is retried with backoff', async () => {
  reset(sequence(status(503), status(503)));
  const outcome = await client.processItem(REQUEST);
  assert.equal(outcome.kind, 'ok');
  assert.equal(outcome.attempts, 3);
});

test('a reset connection is retried', async () => {
  reset(sequence((_request, _res, req) => void req.socket.destroy()));
  const outcome = await client.processItem(REQUEST);
  assert.equal(outcome.kind, 'ok');
  assert.equal(worker.seen.length, 2);
});

test('a 400 is permanent and not retried', async () => {
  reset(sequence(status(400)));
  const outcome = await client.processItem(REQUEST);
  assert.equal(outcome.kind, 'failed');
  assert.equal(outcome.kind === 'failed' && outcome.status, 400);
  assert.match(outcome.kind === 'failed' ? outcome.reason : '', /scripted 400/);
  assert.equal(worker.seen.length, 1);
});

test('a 404, 409 and 422 are permanent', async () => {
  for (const code of [404, 409, 422]) {
    reset(sequence(status(code)));
    const outcome = await client.processItem(REQUEST);
    assert.equal(outcome.kind, 'failed', `status ${code}`);
    assert.equal(worker.seen.length, 1);
  }
});

test('a Retry-After above the inline limit comes back as throttled with its delay', async () => {
  reset(sequence(status(429, { 'retry-after': '30' })));
  const outcome = await client.processItem(REQUEST);
  assert.deepEqual(
    outcome.kind === 'throttled' ? [outcome.status, outcome.retryAfterMs] : outcome,
    [429, 30_000],
  );
  assert.equal(worker.seen.length, 1);
});

test('5xx answers until the inline retries run out hand the item back for a durable wait', async () => {
  reset(() => undefined);
  worker.script = status(502);
  const outcome = await client.processItem(REQUEST);
  assert.deepEqual(
    outcome.kind === 'throttled' ? [outcome.status, outcome.retryAfterMs, outcome.attempts] : outcome,
    [502, BACKOFF_MAX_MS, 4],
  );
  assert.equal(worker.seen.length, 4);
});

test('a worker that cannot be reached throws WorkerUnavailableError for durable retries', async () => {
  const unreachable = loopbackWorkerClient('http://127.0.0.1:1', {
    WORKER_BACKOFF_MIN_MS: '1',
    WORKER_BACKOFF_MAX_MS: '2',
    WORKER_RETRIES: '1',
    TOKEN_TIMEOUT_MS: '5000',
  });
  await assert.rejects(unreachable.processItem(REQUEST), WorkerUnavailableError);
});

test('a page of items is read with cursor and limit', async () => {
  reset((_request, res) =>
    sendJson(res, 200, { job: 'statements', items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c2' }),
  );
  const outcome = await client.listItems('statements', 'c1', 100);
  assert.deepEqual(outcome.kind === 'ok' ? outcome.body : outcome, { items: ['a', 'b'], nextCursor: 'c2' });
  assert.equal(worker.seen[0]?.path, '/api/jobs/statements/items?limit=100&cursor=c1');
});

test('the token reached the endpoint once for every call above', () => {
  assert.equal(identity.requests.length, 1);
});
