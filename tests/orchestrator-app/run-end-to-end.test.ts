// A small run end to end through the replay engine with the real activities: the real worker client
// and @azure/identity against a local managed-identity endpoint, a worker stub on loopback, and the
// failure list in a real Azurite. No JWT-shaped string may appear in anything durable state or logs hold.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import functions, { type InvocationContext } from '@azure/functions';

const { InvocationContext: Context } = functions;

import { startAzurite, type RunningAzurite } from '../../devhost/src/azurite.js';
import {
  listItemsPage,
  processItem,
  recordFailures,
} from '../../orchestrator-app/src/activities/item-activities.js';
import { chunkOrchestrator } from '../../orchestrator-app/src/orchestrations/chunk-orchestrator.js';
import { runOrchestrator } from '../../orchestrator-app/src/orchestrations/run-orchestrator.js';
import type {
  ListItemsPageInput,
  ProcessItemInput,
  RecordFailuresInput,
  RunInput,
  RunStatus,
} from '../../orchestrator-app/src/orchestrations/run-model.js';
import { failureStore } from '../../orchestrator-app/src/services.js';
import {
  sendJson,
  startIdentityEndpoint,
  startWorkerStub,
  type WorkerStub,
  type IdentityEndpoint,
} from './helpers/loopback.js';
import { drive, type ActivityImpl } from './helpers/replay.js';

const JWT_LIKE = /eyJ[\w-]*\.eyJ[\w-]*\./;
const ITEMS = Array.from({ length: 50 }, (_, i) => `acct-${String(i).padStart(3, '0')}`);
const UNPROCESSABLE = new Set(['acct-007', 'acct-031']);
const BRIEFLY_THROTTLED = 'acct-012';
const LONG_THROTTLED = 'acct-040';

let azurite: RunningAzurite;
let identity: IdentityEndpoint;
let worker: WorkerStub;
const logs: string[] = [];

before(async () => {
  azurite = await startAzurite();
  identity = await startIdentityEndpoint();
  const answered = new Map<string, number>();
  worker = await startWorkerStub((request, res) => {
    if (request.headers.authorization !== `Bearer ${identity.token}`)
      return sendJson(res, 401, { status: 401, title: 'no token' });
    const url = new URL(request.path, 'http://127.0.0.1');
    const list = /^\/api\/jobs\/statements\/items$/.exec(url.pathname);
    if (list && request.method === 'GET') {
      const offset = Number(url.searchParams.get('cursor') ?? '0');
      const limit = Number(url.searchParams.get('limit'));
      const next = offset + limit;
      return sendJson(res, 200, {
        job: 'statements',
        items: ITEMS.slice(offset, next).map((id) => ({ id })),
        nextCursor: next < ITEMS.length ? String(next) : null,
      });
    }
    const item = /^\/api\/jobs\/statements\/items\/([^/]+)\/process$/.exec(url.pathname)?.[1];
    if (!item || request.method !== 'POST') return sendJson(res, 404, { status: 404, title: 'not found' });
    const count = (answered.get(item) ?? 0) + 1;
    answered.set(item, count);
    if (UNPROCESSABLE.has(item))
      return sendJson(res, 422, {
        status: 422,
        title: 'Unprocessable',
        detail: `account ${item} has no ledger`,
      });
    if (item === BRIEFLY_THROTTLED && count === 1)
      return sendJson(res, 429, { status: 429, title: 'busy' }, { 'retry-after': '1' });
    if (item === LONG_THROTTLED && count === 1)
      return sendJson(res, 503, { status: 503, title: 'busy' }, { 'retry-after': '120' });
    const body = JSON.parse(request.body) as { runId: string; period: string };
    return sendJson(res, 200, {
      job: 'statements',
      itemId: item,
      period: body.period,
      runId: body.runId,
      replayed: count > 1,
      processedAt: new Date().toISOString(),
      result: { total: 1 },
    });
  });
  Object.assign(process.env, {
    WORKER_BASE_URL: worker.url,
    WORKER_SCOPE: 'api://batch-worker/.default',
    WORKER_PAGE_SIZE: '20',
    WORKER_BACKOFF_MIN_MS: '5',
    WORKER_BACKOFF_MAX_MS: '20',
    FAILURES_STORAGE: azurite.connectionString,
  });
});

after(async () => {
  await worker.close();
  await identity.close();
  await azurite.stop();
});

function activity<T>(
  name: string,
  fn: (input: T, context: InvocationContext) => Promise<unknown>,
): ActivityImpl {
  return (input) =>
    fn(
      input as T,
      new Context({
        functionName: name,
        invocationId: `${name}-${Math.random()}`,
        logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
      }),
    );
}

test('a run with failures and throttling completes, records its failures and never holds a token', async () => {
  const wire: string[] = [];
  const input: RunInput = {
    runId: 'statements-20261201T0200Z',
    job: 'statements',
    period: '2026-11',
    trigger: 'schedule',
    maxParallel: 8,
    chunkSize: 10,
    chunksInFlight: 2,
    pagesPerGeneration: 2,
    throttleMaxWaits: 3,
  };
  const run = await drive('runOrchestrator', input.runId, input, {
    orchestrators: { runOrchestrator, chunkOrchestrator },
    activities: {
      listItemsPage: activity<ListItemsPageInput>('listItemsPage', listItemsPage),
      processItem: activity<ProcessItemInput>('processItem', processItem),
      recordFailures: activity<RecordFailuresInput>('recordFailures', recordFailures),
    },
    logs,
    wire,
  });

  assert.equal(run.status, 'completed', run.error);
  assert.equal(run.generations, 2);
  const summary = run.output as RunStatus;
  assert.deepEqual(
    [summary.total, summary.succeeded, summary.failed, summary.throttledWaits],
    [50, 48, 2, 1],
  );
  assert.ok(summary.retries >= 1, 'the inline 429 retry is counted');
  assert.deepEqual(
    summary.sample.map((f) => [f.itemId, f.status]),
    [
      ['acct-007', 422],
      ['acct-031', 422],
    ],
  );
  assert.match(summary.sample[0]!.reason, /has no ledger/);

  const stored = await failureStore().read(input.runId);
  assert.deepEqual(stored.map((f) => f.itemId).sort(), [...UNPROCESSABLE].sort());
  assert.equal(summary.failureList, `run-failures/${input.runId}/`);

  const processCalls = worker.seen.filter((r) => r.method === 'POST');
  assert.ok(
    processCalls.every((r) => r.headers['idempotency-key'] === `${input.runId}:${r.path.split('/')[5]}`),
  );
  assert.equal(identity.requests.length, 1);

  assert.ok(JWT_LIKE.test(identity.token), 'the check can see a token');
  assert.ok(wire.length > 100 && logs.length > 10);
  const leaks = [...wire, ...logs].filter((text) => JWT_LIKE.test(text));
  assert.deepEqual(leaks, []);
});
