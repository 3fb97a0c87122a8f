import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task, TimerTask } from 'durable-functions';

import { logEvent } from '../log.js';
import {
  shortReason,
  type AuthTrip,
  type ChunkInput,
  type ChunkResult,
  type FailedItem,
  type ItemOutcome,
  type ProcessItemInput,
} from './run-model.js';

/** Durable retries of an item activity, for infrastructure failures only (crash, timeout, worker down). */
export function infrastructureRetry(): df.RetryOptions {
  const options = new df.RetryOptions(5_000, 3);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = 60_000;
  return options;
}

interface Pending {
  itemId: string;
  /** Durable timer waits this item has had for throttling. */
  waits: number;
  task: Task;
  kind: 'call' | 'wait';
  /** Whether the task has been yielded to the engine, which is what schedules it. */
  handed: boolean;
}

/**
 * What to wait on next without ever handing the engine a task twice: new calls (with any throttle
 * timers not yet handed over) as one `Task.any`; else the oldest call in flight; else the timers.
 * Timers wait for the next batch of calls, so a long throttle wait does not hold back the window.
 */
function nextWait(context: OrchestrationContext, pending: Pending[]): Task {
  const unhanded = pending.filter((entry) => !entry.handed);
  const inFlight = pending.find((entry) => entry.handed && entry.kind === 'call');
  const handing = unhanded.some((entry) => entry.kind === 'call') || !inFlight ? unhanded : [];
  if (handing.length === 0) return (inFlight ?? pending[0]!).task;
  for (const entry of handing) entry.handed = true;
  return context.df.Task.any(handing.map((entry) => entry.task));
}

/**
 * One chunk of a run: calls `processItem` for each item with at most `maxParallel` calls (and throttle
 * waits) in flight, waits on a durable timer when an item comes back `throttled`, and opens the auth
 * circuit on the first `auth` outcome: nothing new starts, calls in flight finish, the rest are skipped.
 *
 * NOTE: durable-functions 3 re-emits the actions of every child of a `Task.any`, so a task that was
 * already scheduled must never appear in a second `Task.any` (the host would start it again). Each
 * wait is therefore either `Task.any` over tasks not yet handed to the engine, or one task in flight
 * on its own (see `nextWait`); finished tasks are collected by their flags after every wait.
 */
export const chunkOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ChunkInput>();
  const queue = input.itemIds.map((itemId) => ({ itemId, waits: 0 }));
  const pending: Pending[] = [];
  const failures: FailedItem[] = [];
  const result: ChunkResult = {
    chunk: input.chunk,
    succeeded: 0,
    failures,
    retries: 0,
    throttledWaits: 0,
    peakInFlight: 0,
    trip: null,
  };
  const refillAt = Math.max(1, Math.ceil(input.maxParallel / 4));
  let trip: AuthTrip | null = null;

  const settle = (entry: Pending): void => {
    const { task } = entry;
    if (entry.kind === 'wait') {
      if (!trip) queue.unshift({ itemId: entry.itemId, waits: entry.waits });
      return;
    }
    if (task.isFaulted) {
      const message = task.result instanceof Error ? task.result.message : String(task.result);
      failures.push({
        itemId: entry.itemId,
        outcome: 'failed',
        status: 0,
        reason: shortReason(`activity failed: ${message}`),
      });
      return;
    }
    const outcome = task.result as ItemOutcome;
    result.retries += Math.max(0, outcome.attempts - 1);
    switch (outcome.outcome) {
      case 'succeeded':
        result.succeeded += 1;
        return;
      case 'failed':
        failures.push({
          itemId: outcome.itemId,
          outcome: 'failed',
          status: outcome.status,
          reason: shortReason(outcome.reason),
        });
        return;
      case 'throttled': {
        if (trip || entry.waits >= input.throttleMaxWaits) {
          const reason = trip
            ? 'throttled when the circuit opened'
            : `still throttled after ${entry.waits} durable waits`;
          failures.push({
            itemId: outcome.itemId,
            outcome: trip ? 'skipped' : 'failed',
            status: outcome.status,
            reason,
          });
          return;
        }
        result.throttledWaits += 1;
        const fireAt = new Date(context.df.currentUtcDateTime.getTime() + outcome.retryAfterMs);
        const timer = context.df.createTimer(fireAt);
        pending.push({
          itemId: entry.itemId,
          waits: entry.waits + 1,
          task: timer,
          kind: 'wait',
          handed: false,
        });
        if (!context.df.isReplaying) {
          logEvent(context, 'info', 'item.throttled', {
            runId: input.runId,
            itemId: entry.itemId,
            retryAfterMs: outcome.retryAfterMs,
          });
        }
        return;
      }
      case 'auth':
        failures.push({
          itemId: outcome.itemId,
          outcome: 'failed',
          status: outcome.status,
          reason: shortReason(outcome.reason),
        });
        trip ??= {
          cause: outcome.cause,
          status: outcome.status,
          itemId: outcome.itemId,
          detail: shortReason(outcome.reason),
        };
        return;
    }
  };

  for (;;) {
    for (let i = 0; i < pending.length;) {
      const entry = pending[i]!;
      if (entry.task.isCompleted || entry.task.isFaulted) {
        pending.splice(i, 1);
        settle(entry);
      } else {
        i += 1;
      }
    }

    if (trip) {
      for (let i = pending.length - 1; i >= 0; i -= 1) {
        const entry = pending[i]!;
        if (entry.kind !== 'wait') continue;
        (entry.task as TimerTask).cancel();
        pending.splice(i, 1);
        failures.push({
          itemId: entry.itemId,
          outcome: 'skipped',
          status: 0,
          reason: 'not attempted: the auth circuit opened',
        });
      }
      for (const { itemId } of queue.splice(0)) {
        failures.push({
          itemId,
          outcome: 'skipped',
          status: 0,
          reason: 'not attempted: the auth circuit opened',
        });
      }
    }

    const free = input.maxParallel - pending.length;
    if (
      queue.length > 0 &&
      (free >= refillAt || (free > 0 && pending.length === 0) || free >= queue.length)
    ) {
      while (pending.length < input.maxParallel && queue.length > 0) {
        const next = queue.shift()!;
        const activityInput: ProcessItemInput = {
          runId: input.runId,
          job: input.job,
          period: input.period,
          itemId: next.itemId,
        };
        const task = context.df.callActivityWithRetry('processItem', infrastructureRetry(), activityInput);
        pending.push({ itemId: next.itemId, waits: next.waits, task, kind: 'call', handed: false });
      }
    }
    result.peakInFlight = Math.max(result.peakInFlight, pending.length);

    if (pending.length === 0) break;
    try {
      yield nextWait(context, pending);
    } catch {
      // A lone task that failed for good throws here; it is settled from its isFaulted flag above.
    }
  }

  result.trip = trip;
  return result;
};
