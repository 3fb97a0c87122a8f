// Episodes driven one by one through the real replay engine (the fixture app's orchestrator, loaded by
// the devhost function host), with hand-made message batches so each ordering case is exact.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';

import type { FunctionInvoker } from '../../../devhost/src/contracts.js';
import { runEpisode, type EpisodePlan } from '../../../devhost/src/durable/episode.js';
import { isReplayed, playedJson } from '../../../devhost/src/durable/history.js';
import { replayOrchestration } from '../../../devhost/src/durable/replay.js';
import type { InstanceRow, MessageRow } from '../../../devhost/src/durable/store.js';
import { EVENT_TYPE_NAMES, type Message } from '../../../devhost/src/durable/types.js';
import { loadFunctionApp } from '../../../devhost/src/functions-host/index.js';
import { FIXTURES, quietLogger } from './helpers.js';

let invoker: FunctionInvoker;
before(async () => {
  ({ invoker } = await loadFunctionApp({ appDir: join(FIXTURES, 'durable-basic'), logger: quietLogger }));
});

const T0 = Date.parse('2026-12-01T02:00:00Z');

function newRow(name: string, input: unknown): InstanceRow {
  return {
    id: `episode-${name}`,
    name,
    execution_id: 'e1',
    status: 'Pending',
    input: JSON.stringify(input),
    output: null,
    custom_status: null,
    failure: null,
    created_at: T0,
    updated_at: T0,
    parent_id: null,
    parent_execution_id: null,
    parent_task_id: null,
    parent_retry: null,
    next_event_id: 0,
    scheduled_actions: 0,
    history_count: 0,
  };
}

/** Runs one episode and applies its plan to the row and the played history, as the dispatcher does. */
class Driver {
  private played: string[] = [];
  private nextMessageId = 1;
  constructor(public row: InstanceRow) {}

  async episode(messages: Message[], now: number): Promise<EpisodePlan> {
    const rows: MessageRow[] = messages.map((message) => ({
      id: this.nextMessageId++,
      instance_id: this.row.id,
      execution_id: this.row.execution_id,
      message,
    }));
    const plan = await runEpisode(
      this.row,
      rows,
      this.played,
      (h) => replayOrchestration(invoker, this.row, h, quietLogger),
      now,
    );
    this.row = { ...this.row, ...plan.instance, history_count: this.row.history_count + plan.history.length };
    this.played.push(...plan.history.filter(isReplayed).map(playedJson));
    return plan;
  }
}

const names = (plan: EpisodePlan): string[] =>
  plan.history.map((e) => {
    const id =
      e.EventId >= 0
        ? `#${e.EventId}`
        : typeof e.TaskScheduledId === 'number'
          ? `{${e.TaskScheduledId}}`
          : typeof e.TimerId === 'number'
            ? `{${e.TimerId}}`
            : '';
    return `${EVENT_TYPE_NAMES[e.EventType]}${id}`;
  });

const flakyFailure = { ErrorType: 'Error', ErrorMessage: 'flaky attempt 1 of ep' };

test('a retry failure and an ordinary completion arriving together are written retry first', async () => {
  const driver = new Driver(newRow('retrying', { key: 'ep', fails: 1, attempts: 3, first: 1000 }));

  const first = await driver.episode([{ kind: 'start', input: driver.row.input }], T0);
  assert.deepEqual(names(first), [
    'OrchestratorStarted',
    'ExecutionStarted',
    'TaskScheduled#0',
    'TaskScheduled#1',
    'OrchestratorCompleted',
  ]);
  const retry = first.workItems[0]?.retry;
  assert.ok(retry);
  assert.equal(first.workItems[1]?.retry, null);

  // The plain completion arrived first; the id-allocating retry events must still come first.
  const second = await driver.episode(
    [
      { kind: 'activityCompleted', taskId: 1, result: '42' },
      { kind: 'activityFailed', taskId: 0, failure: flakyFailure, retry },
    ],
    T0 + 10,
  );
  assert.deepEqual(names(second), [
    'OrchestratorStarted',
    'TaskFailed{0}',
    'TimerCreated#2',
    'TaskCompleted{1}',
    'OrchestratorCompleted',
  ]);
  assert.equal(second.timers[0]?.fire_at, T0 + 10 + 1000);

  const third = await driver.episode(
    [
      {
        kind: 'timerFired',
        timerId: 2,
        fireAt: new Date(T0 + 1010).toISOString(),
        retry: second.timers[0]?.retry ?? undefined,
      },
    ],
    T0 + 1010,
  );
  assert.deepEqual(names(third), [
    'OrchestratorStarted',
    'TimerFired{2}',
    'TaskScheduled#3',
    'OrchestratorCompleted',
  ]);
  assert.equal(third.workItems[0]?.task_id, 3);
  assert.equal(third.workItems[0]?.retry?.attempt, 2);

  const last = await driver.episode(
    [{ kind: 'activityCompleted', taskId: 3, result: '{"key":"ep","attempts":2}' }],
    T0 + 1020,
  );
  assert.equal(last.ended, 'completed');
  assert.deepEqual(JSON.parse(last.instance.output ?? 'null'), {
    flaky: { key: 'ep', attempts: 2 },
    doubled: 42,
  });
});

test('after the last failed attempt the engine gets an immediate retry timer and then the error', async () => {
  const driver = new Driver(newRow('retrying', { key: 'ep2', fails: 9, attempts: 1 }));
  const first = await driver.episode([{ kind: 'start', input: driver.row.input }], T0);
  const retry = first.workItems[0]?.retry ?? undefined;

  const failed = await driver.episode(
    [
      { kind: 'activityFailed', taskId: 0, failure: flakyFailure, ...(retry ? { retry } : {}) },
      { kind: 'activityCompleted', taskId: 1, result: '42' },
    ],
    T0 + 5,
  );
  assert.equal(failed.timers[0]?.fire_at, T0 + 5);
  assert.equal(failed.ended, undefined);

  const timer = failed.timers[0];
  const done = await driver.episode(
    [
      {
        kind: 'timerFired',
        timerId: timer?.timer_id ?? -1,
        fireAt: new Date(T0 + 5).toISOString(),
        ...(timer?.retry ? { retry: timer.retry } : {}),
      },
    ],
    T0 + 6,
  );
  assert.deepEqual(names(done).slice(0, 2), ['OrchestratorStarted', 'TimerFired{2}']);
  assert.equal(done.workItems.length, 0);
  assert.deepEqual(JSON.parse(done.instance.output ?? 'null'), { failed: 'Error: flaky attempt 1 of ep' });
});

test('a suspended instance buffers events and takes them on resume', async () => {
  const driver = new Driver(newRow('approval', null));
  await driver.episode([{ kind: 'start', input: 'null' }], T0);

  const suspended = await driver.episode(
    [
      { kind: 'suspend', reason: 'hold' },
      { kind: 'event', name: 'approve', input: '{"by":"ada"}' },
    ],
    T0 + 1,
  );
  assert.equal(suspended.instance.status, 'Suspended');
  assert.deepEqual(suspended.consumed, [2]);
  assert.equal(suspended.replayed, false);

  const resumed = await driver.episode(
    [
      { kind: 'resume', reason: 'go' },
      { kind: 'event', name: 'approve', input: '{"by":"ada"}' },
    ],
    T0 + 2,
  );
  assert.equal(resumed.instance.status, 'Running');
  assert.deepEqual(JSON.parse(resumed.instance.custom_status ?? 'null'), { stage: 'approved', by: 'ada' });
});

test('terminate ends the instance at once and drops what was pending', async () => {
  const driver = new Driver(newRow('approval', null));
  await driver.episode([{ kind: 'start', input: 'null' }], T0);
  const plan = await driver.episode(
    [
      { kind: 'event', name: 'approve', input: '{}' },
      { kind: 'terminate', reason: 'stop' },
    ],
    T0 + 1,
  );
  assert.equal(plan.ended, 'terminated');
  assert.equal(plan.instance.status, 'Terminated');
  assert.deepEqual(plan.consumed, [2, 3]);
});
