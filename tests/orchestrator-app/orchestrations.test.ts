// The run and chunk orchestrations, replayed by durable-functions' own engine with scripted activities.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chunkOrchestrator } from '../../orchestrator-app/src/orchestrations/chunk-orchestrator.js';
import { runOrchestrator } from '../../orchestrator-app/src/orchestrations/run-orchestrator.js';
import type {
  ItemOutcome,
  ListItemsPageInput,
  ProcessItemInput,
  RecordFailuresInput,
  RunInput,
  RunStatus,
} from '../../orchestrator-app/src/orchestrations/run-model.js';
import { drive, replayOnce, type ActivityImpl, type DriveOptions, type Episode } from './helpers/replay.js';

const ORCHESTRATORS = { runOrchestrator, chunkOrchestrator };

function runInput(overrides: Partial<RunInput> = {}): RunInput {
  return {
    runId: 'run-test',
    job: 'statements',
    period: '2026-11',
    trigger: 'api',
    maxParallel: 5,
    chunkSize: 25,
    chunksInFlight: 1,
    pagesPerGeneration: 100,
    throttleMaxWaits: 3,
    ...overrides,
  };
}

const ids = (count: number, prefix = 'acct') =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

/** A worker whose item list is `items`, paged by `pageSize`, and whose answers `answer` scripts. */
function fakeWorker(
  items: string[],
  pageSize: number,
  answer: (input: ProcessItemInput, call: number) => ItemOutcome | Promise<ItemOutcome>,
) {
  const calls: ProcessItemInput[] = [];
  const recorded: RecordFailuresInput[] = [];
  const activities: Record<string, ActivityImpl> = {
    listItemsPage: (raw) => {
      const input = raw as ListItemsPageInput;
      const offset = Number(input.cursor ?? '0');
      const next = offset + pageSize;
      return Promise.resolve({
        outcome: 'page',
        items: items.slice(offset, next),
        nextCursor: next < items.length ? String(next) : null,
        attempts: 1,
      });
    },
    processItem: async (raw) => {
      const input = raw as ProcessItemInput;
      calls.push(input);
      return answer(input, calls.filter((c) => c.itemId === input.itemId).length);
    },
    recordFailures: (raw) => {
      recorded.push(raw as RecordFailuresInput);
      return Promise.resolve({ location: `run-failures/${(raw as RecordFailuresInput).runId}/` });
    },
  };
  return { activities, calls, recorded };
}

const ok = (input: ProcessItemInput): ItemOutcome => ({
  itemId: input.itemId,
  outcome: 'succeeded',
  attempts: 1,
  replayed: false,
});

function options(activities: Record<string, ActivityImpl>, extra: Partial<DriveOptions> = {}): DriveOptions {
  return { orchestrators: ORCHESTRATORS, activities, ...extra };
}

test('a chunk never has more than maxParallel item calls in flight, and uses the whole window', async () => {
  const worker = fakeWorker(ids(60), 100, ok);
  const episodes: Episode[] = [];
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput(),
    options(worker.activities, { completePerEpisode: 2, onEpisode: (e) => episodes.push(e) }),
  );

  assert.equal(run.status, 'completed');
  const chunkEpisodes = episodes.filter((e) => e.instanceId.includes(':chunk:'));
  const peak = Math.max(...chunkEpisodes.map((e) => e.openActivities));
  assert.equal(peak, 5);
  assert.equal((run.output as RunStatus).succeeded, 60);
  assert.equal(worker.calls.length, 60, 'every item was called exactly once');
  assert.equal(new Set(worker.calls.map((c) => c.itemId)).size, 60);
});

test('chunk sub-orchestrations get ids from the run id and chunk number', async () => {
  const worker = fakeWorker(ids(60), 100, ok);
  const episodes: Episode[] = [];
  await drive(
    'runOrchestrator',
    'run-test',
    runInput(),
    options(worker.activities, { onEpisode: (e) => episodes.push(e) }),
  );
  const chunkIds = [...new Set(episodes.map((e) => e.instanceId).filter((id) => id !== 'run-test'))];
  assert.deepEqual(chunkIds, ['run-test:chunk:0', 'run-test:chunk:1', 'run-test:chunk:2']);
});

test('a throttled item waits on a durable timer for its Retry-After, then is called again', async () => {
  const worker = fakeWorker(ids(12), 100, (input, call) =>
    input.itemId === 'acct-0003' && call === 1
      ? { itemId: input.itemId, outcome: 'throttled', status: 429, retryAfterMs: 30_000, attempts: 1 }
      : ok(input),
  );
  const episodes: Episode[] = [];
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput({ chunkSize: 12 }),
    options(worker.activities, { onEpisode: (e) => episodes.push(e) }),
  );

  const timers = episodes.flatMap((e) => e.newActions).filter((a) => a.actionType === 5);
  assert.equal(timers.length, 1);
  const summary = run.output as RunStatus;
  assert.deepEqual([summary.succeeded, summary.failed, summary.throttledWaits], [12, 0, 1]);
  assert.equal(worker.calls.filter((c) => c.itemId === 'acct-0003').length, 2);
});

test('an item still throttled after the allowed waits fails with a reason', async () => {
  const worker = fakeWorker(ids(10), 100, (input) =>
    input.itemId === 'acct-0000'
      ? { itemId: input.itemId, outcome: 'throttled', status: 503, retryAfterMs: 60_000, attempts: 1 }
      : ok(input),
  );
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput({ chunkSize: 10, throttleMaxWaits: 2 }),
    options(worker.activities),
  );
  const summary = run.output as RunStatus;
  assert.deepEqual([summary.succeeded, summary.failed, summary.throttledWaits], [9, 1, 2]);
  assert.match(summary.sample[0]?.reason ?? '', /still throttled after 2 durable waits/);
  assert.equal(worker.recorded[0]?.failures[0]?.itemId, 'acct-0000');
});

test('an auth outcome opens the circuit: no new items start and the run fails naming the cause', async () => {
  const worker = fakeWorker(ids(40), 100, (input) =>
    input.itemId === 'acct-0006'
      ? {
          itemId: input.itemId,
          outcome: 'auth',
          cause: 'forbidden',
          status: 403,
          reason: 'worker answered 403: missing role',
          attempts: 1,
        }
      : ok(input),
  );
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput({ maxParallel: 4, chunkSize: 20 }),
    options(worker.activities, { completePerEpisode: 1 }),
  );

  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /lacks the Worker\.Invoke role on the worker/);
  const status = run.customStatus as RunStatus;
  assert.equal(status.phase, 'failed');
  assert.match(status.reason ?? '', /403/);
  assert.ok(worker.calls.length <= 6 + 4, `called ${worker.calls.length} items after the circuit opened`);
  assert.equal(
    status.succeeded + status.failed + status.skipped,
    20,
    'the rest of the chunk is skipped, later chunks never start',
  );
  const recordedIds = worker.recorded.flatMap((r) => r.failures.map((f) => f.itemId));
  assert.ok(recordedIds.includes('acct-0006'));
  assert.equal(recordedIds.length, status.failed + status.skipped);
});

test('a listing refused with 403 fails the run before any item is called', async () => {
  const worker = fakeWorker(ids(5), 100, ok);
  worker.activities.listItemsPage = () =>
    Promise.resolve({
      outcome: 'auth',
      cause: 'unauthorized',
      status: 401,
      reason: 'worker answered 401',
      attempts: 2,
    });
  const run = await drive('runOrchestrator', 'run-test', runInput(), options(worker.activities));
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /rejected the orchestrator's managed-identity token twice \(401\)/);
  assert.equal(worker.calls.length, 0);
});

test('continue-as-new every K pages carries the cursor and the running summary', async () => {
  const worker = fakeWorker(ids(30), 5, ok);
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput({ chunkSize: 10, pagesPerGeneration: 2 }),
    options(worker.activities),
  );

  assert.equal(run.status, 'completed');
  assert.equal(run.generations, 3);
  const second = run.inputs[1] as RunInput;
  assert.equal(second.cursor, '10');
  assert.deepEqual(
    [second.progress?.succeeded, second.progress?.pages, second.progress?.generation],
    [10, 2, 1],
  );
  const summary = run.output as RunStatus;
  assert.deepEqual(
    [summary.total, summary.succeeded, summary.pages, summary.generation, summary.phase],
    [30, 30, 6, 2, 'completed'],
  );
});

test('explicit item ids are run without listing, in pages carried across continue-as-new', async () => {
  const worker = fakeWorker([], 5, ok);
  worker.activities.listItemsPage = () => Promise.reject(new Error('must not list'));
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput({ itemIds: ids(2500, 'x'), chunkSize: 1000, maxParallel: 64, pagesPerGeneration: 1 }),
    options(worker.activities),
  );
  assert.equal(run.status, 'completed');
  assert.equal(run.generations, 3);
  assert.equal((run.output as RunStatus).succeeded, 2500);
  assert.equal((run.inputs[2] as RunInput).itemIds?.length, 500);
});

test('failed items go to the failure list; state keeps counts and a bounded sample', async () => {
  const worker = fakeWorker(ids(120), 100, (input) =>
    Number(input.itemId.slice(-4)) % 2 === 0
      ? { itemId: input.itemId, outcome: 'failed', status: 422, reason: 'unprocessable', attempts: 1 }
      : ok(input),
  );
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput({ chunkSize: 30, maxParallel: 10 }),
    options(worker.activities),
  );
  const summary = run.output as RunStatus;
  assert.deepEqual([summary.succeeded, summary.failed], [60, 60]);
  assert.equal(summary.sample.length, 50);
  assert.equal(summary.failureList, 'run-failures/run-test/');
  assert.equal(worker.recorded.flatMap((r) => r.failures).length, 60);
});

test('the custom status after each chunk shows progress', async () => {
  const worker = fakeWorker(ids(50), 100, ok);
  const statuses: RunStatus[] = [];
  await drive(
    'runOrchestrator',
    'run-test',
    runInput({ chunkSize: 10 }),
    options(worker.activities, {
      onEpisode: (e) => e.instanceId === 'run-test' && statuses.push(e.customStatus as RunStatus),
    }),
  );
  const succeeded = [...new Set(statuses.map((s) => s.succeeded))];
  assert.deepEqual(succeeded, [0, 10, 20, 30, 40]);
});

test('the custom status says whether the total is final: only once the last page is listed', async () => {
  const worker = fakeWorker(ids(50), 20, ok);
  const statuses: RunStatus[] = [];
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput({ chunkSize: 10 }),
    options(worker.activities, {
      onEpisode: (e) => e.instanceId === 'run-test' && statuses.push(e.customStatus as RunStatus),
    }),
  );
  statuses.push(run.customStatus as RunStatus);
  const seen = [...new Set(statuses.map((s) => `${s.total}:${s.listed}`))];
  assert.deepEqual(seen, ['0:false', '20:false', '40:false', '50:true']);
});

test('replaying the same history yields the same actions', async () => {
  const worker = fakeWorker(ids(30), 100, (input, call) =>
    input.itemId === 'acct-0002' && call === 1
      ? { itemId: input.itemId, outcome: 'throttled', status: 429, retryAfterMs: 5000, attempts: 1 }
      : ok(input),
  );
  const histories: Array<{ id: string; history: Parameters<typeof replayOnce>[2]; input: unknown }> = [];
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput({ chunkSize: 30 }),
    options(worker.activities),
  );
  histories.push({ id: 'run-test', history: run.history, input: run.inputs.at(-1) });

  const first = await replayOnce(runOrchestrator, 'run-test', run.history, run.inputs.at(-1));
  const second = await replayOnce(runOrchestrator, 'run-test', run.history, run.inputs.at(-1));
  assert.deepEqual(first.actions, run.lastState.actions);
  assert.deepEqual(second, first);

  const chunkInput = {
    runId: 'run-test',
    job: 'statements',
    period: '2026-11',
    chunk: 0,
    itemIds: ids(30),
    maxParallel: 5,
    throttleMaxWaits: 3,
  };
  const chunk = await drive('chunkOrchestrator', 'run-test:chunk:0', chunkInput, options(worker.activities));
  const again = await replayOnce(chunkOrchestrator, 'run-test:chunk:0', chunk.history, chunkInput);
  assert.deepEqual(again.actions, chunk.lastState.actions);
  assert.deepEqual(again.output, chunk.output);
});

test('orchestrations log only when not replaying', async () => {
  const worker = fakeWorker(ids(20), 100, ok);
  const logs: string[] = [];
  await drive(
    'runOrchestrator',
    'run-test',
    runInput({ chunkSize: 10 }),
    options(worker.activities, { logs }),
  );
  const events = logs.map((line) => (JSON.parse(line) as { event: string }).event);
  assert.deepEqual(events, ['run.started', 'run.progress', 'run.progress', 'run.completed']);
});

test('an activity that keeps crashing is retried durably, then counts as a failed item, not a failed chunk', async () => {
  const worker = fakeWorker(ids(8), 100, (input) => {
    if (input.itemId === 'acct-0002') throw new Error('WorkerUnavailableError: connection refused');
    return ok(input);
  });
  const run = await drive(
    'runOrchestrator',
    'run-test',
    runInput({ chunkSize: 10 }),
    options(worker.activities),
  );
  assert.equal(run.status, 'completed', run.error);
  const summary = run.output as RunStatus;
  assert.deepEqual([summary.succeeded, summary.failed], [7, 1]);
  assert.match(summary.sample[0]?.reason ?? '', /activity failed: .*connection refused/);
  assert.equal(worker.calls.filter((c) => c.itemId === 'acct-0002').length, 3);
});

test("a long throttle wait keeps its window slot but does not hold back the other items' calls", async () => {
  const worker = fakeWorker(ids(20), 100, (input, call) =>
    input.itemId === 'acct-0001' && call === 1
      ? { itemId: input.itemId, outcome: 'throttled', status: 429, retryAfterMs: 120_000, attempts: 1 }
      : ok(input),
  );
  const episodes: Episode[] = [];
  await drive(
    'runOrchestrator',
    'run-test',
    runInput({ maxParallel: 8, chunkSize: 20 }),
    options(worker.activities, { completePerEpisode: 1, onEpisode: (e) => episodes.push(e) }),
  );

  const chunk = episodes.filter((e) => e.instanceId === 'run-test:chunk:0');
  const timerAt = chunk.find((e) => e.newActions.some((a) => a.actionType === 5))?.at ?? Number.NaN;
  const calls = chunk.flatMap((e) =>
    e.newActions
      .filter((a) => a.actionType === 1)
      .map((a) => ({ at: e.at, itemId: (a.input as ProcessItemInput).itemId })),
  );
  const othersLast = Math.max(...calls.filter((c) => c.itemId !== 'acct-0001').map((c) => c.at));
  assert.ok(othersLast < timerAt + 120_000, 'the other items were called before the throttle wait ended');
  assert.equal(calls.filter((c) => c.itemId === 'acct-0001').length, 2);
  assert.ok(Math.max(...chunk.map((e) => e.openActivities)) <= 8);
});
