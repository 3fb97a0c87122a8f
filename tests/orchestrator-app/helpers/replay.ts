// Drives orchestrations through durable-functions' own replay engine: builds history the way the
// Durable extension does, executes the actions it emits (activities, timers, sub-orchestrations) and
// replays again, until the orchestration is done. Time is virtual.
import { createRequire } from 'node:module';

import * as df from 'durable-functions';
import type { OrchestrationHandler } from 'durable-functions';

const require = createRequire(import.meta.url);
// No exports map in durable-functions 3, so its own testing helpers are reachable by path.
const testing = require('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator: (
    fn: OrchestrationHandler,
  ) => (trigger: unknown, context: unknown) => Promise<OrchestratorState>;
  DurableOrchestrationInput: new (
    instanceId: string,
    history: unknown[],
    input: unknown,
    longRunningTimerIntervalDuration: string,
    maximumShortTimerDuration: string,
    defaultHttpAsyncRequestSleepTimeMillseconds: number,
    schemaVersion: number,
    isReplaying: boolean,
    parentInstanceId: string,
  ) => unknown;
};

const SCHEMA_V4 = 3;
const enum EventType {
  ExecutionStarted = 0,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
}

export interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  fireAt?: string | Date;
  isCanceled?: boolean;
  retryOptions?: { maxNumberOfAttempts: number };
  compoundActions?: Action[];
}

export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export type HistoryEvent = Record<string, unknown> & {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
};

export type ActivityImpl = (input: unknown) => Promise<unknown>;

/** What an episode looked like, for assertions. */
export interface Episode {
  instanceId: string;
  generation: number;
  /** Activities scheduled and not yet completed after this episode's new actions. */
  openActivities: number;
  /** Virtual time of the episode, in epoch milliseconds. */
  at: number;
  newActions: Action[];
  customStatus: unknown;
}

export interface DriveOptions {
  orchestrators: Record<string, OrchestrationHandler>;
  activities: Record<string, ActivityImpl>;
  /** Activities completed per episode, oldest first; all of them when omitted. */
  completePerEpisode?: number;
  start?: Date;
  onEpisode?: (episode: Episode) => void;
  /** Every line the orchestrations logged. */
  logs?: string[];
  /** Every input and output that crossed the orchestration boundary, as JSON text. */
  wire?: string[];
}

export interface Execution {
  status: 'completed' | 'failed';
  output: unknown;
  error?: string;
  customStatus: unknown;
  generations: number;
  /** Input of each generation (the first is the start input). */
  inputs: unknown[];
  /** The last generation's history and the state its last replay produced. */
  history: HistoryEvent[];
  lastState: OrchestratorState;
}

function flatten(actions: Action[]): Action[] {
  return actions.flatMap((action) => (action.compoundActions ? flatten(action.compoundActions) : [action]));
}

const asWire = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value ?? null);

/** Runs the orchestrator once over `history`, as the Functions host would. */
export async function replayOnce(
  fn: OrchestrationHandler,
  instanceId: string,
  history: HistoryEvent[],
  input: unknown,
  logs?: string[],
  parentInstanceId = '',
): Promise<OrchestratorState> {
  const trigger = new testing.DurableOrchestrationInput(
    instanceId,
    structuredClone(history),
    input,
    '3.00:00:00',
    '3650.00:00:00',
    30000,
    SCHEMA_V4,
    false,
    parentInstanceId,
  );
  const context = new df.DummyOrchestrationContext(
    'orchestration',
    `inv-${instanceId}`,
    (_level, ...args) => {
      logs?.push(args.map(String).join(' '));
    },
  );
  try {
    return await testing.createOrchestrator(fn)(trigger, context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const marker = message.indexOf('$OutOfProcData$:');
    if (marker < 0) throw error;
    return JSON.parse(message.slice(marker + '$OutOfProcData$:'.length)) as OrchestratorState;
  }
}

interface Open {
  id: number;
  kind: 'activity' | 'sub' | 'timer' | 'retry';
  action: Action;
  flatIndex: number;
  fireAt?: number;
  attempt: number;
}

/** Drives `name` from start to end (through continue-as-new) and returns how it ended. */
export async function drive(
  name: string,
  instanceId: string,
  input: unknown,
  options: DriveOptions,
  parentInstanceId = '',
): Promise<Execution> {
  const fn = options.orchestrators[name];
  if (!fn) throw new Error(`no orchestrator ${name}`);
  let clock = (options.start ?? new Date('2026-12-01T02:00:00Z')).getTime();
  const inputs: unknown[] = [];
  let currentInput = input;

  for (let generation = 0; ; generation += 1) {
    inputs.push(currentInput);
    options.wire?.push(asWire(currentInput));
    const ts = () => new Date(clock).toISOString();
    let eventId = -1;
    const history: HistoryEvent[] = [
      { EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: ts() },
      {
        EventType: EventType.ExecutionStarted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: ts(),
        Name: name,
        Input: JSON.stringify(currentInput),
      },
    ];
    const open = new Map<number, Open>();
    let seen = 0;
    let seq = 0;

    for (let episode = 0; ; episode += 1) {
      if (episode > 100_000) throw new Error('orchestration does not finish');
      const state = await replayOnce(fn, instanceId, history, currentInput, options.logs, parentInstanceId);
      options.wire?.push(asWire(state.customStatus));
      const flat = flatten(state.actions[0] ?? []);
      const fresh = flat.slice(seen);
      const firstFresh = seen;
      seen = flat.length;
      for (const entry of open.values()) {
        if (entry.kind === 'timer' && flat[entry.flatIndex]?.isCanceled) open.delete(entry.id);
      }

      if (state.isDone || state.error) {
        const carry = flat.find((a) => a.actionType === 4);
        if (carry && state.isDone && !state.error) {
          currentInput = typeof carry.input === 'string' ? (JSON.parse(carry.input) as unknown) : carry.input;
          break;
        }
        options.wire?.push(asWire(state.output));
        return {
          status: state.error ? 'failed' : 'completed',
          output: state.output,
          ...(state.error ? { error: state.error } : {}),
          customStatus: state.customStatus,
          generations: generation + 1,
          inputs,
          history,
          lastState: state,
        };
      }

      history.push({
        EventType: EventType.OrchestratorCompleted,
        EventId: eventId,
        IsPlayed: false,
        Timestamp: ts(),
      });
      fresh.forEach((action, k) => {
        const base = { IsPlayed: false, Timestamp: ts() };
        if (action.actionType === 0 || action.actionType === 1) {
          const id = seq++;
          options.wire?.push(asWire(action.input));
          history.push({
            ...base,
            EventType: EventType.TaskScheduled,
            EventId: id,
            Name: action.functionName,
          });
          open.set(id, { id, kind: 'activity', action, flatIndex: firstFresh + k, attempt: 1 });
        } else if (action.actionType === 2 || action.actionType === 3) {
          const id = seq++;
          history.push({
            ...base,
            EventType: EventType.SubOrchestrationInstanceCreated,
            EventId: id,
            Name: action.functionName,
            InstanceId: action.instanceId,
          });
          open.set(id, { id, kind: 'sub', action, flatIndex: firstFresh + k, attempt: 1 });
        } else if (action.actionType === 5) {
          const id = seq++;
          const fireAt = new Date(action.fireAt!).getTime();
          if (action.isCanceled) return;
          history.push({
            ...base,
            EventType: EventType.TimerCreated,
            EventId: id,
            FireAt: new Date(fireAt).toISOString(),
          });
          open.set(id, { id, kind: 'timer', action, flatIndex: firstFresh + k, fireAt, attempt: 1 });
        } else if (action.actionType !== 4) {
          throw new Error(`harness does not run action type ${action.actionType}`);
        }
      });
      const openActivities = [...open.values()].filter((o) => o.kind === 'activity').length;
      options.onEpisode?.({
        instanceId,
        generation,
        openActivities,
        at: clock,
        newActions: fresh,
        customStatus: state.customStatus,
      });

      for (const event of history) event.IsPlayed = true;
      clock += 1000;
      history.push({
        EventType: EventType.OrchestratorStarted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: ts(),
      });
      // Events that make the engine take a sequence number (a retry's timer, its next attempt) go
      // first in an episode, as the Durable extension writes them, so ids line up on both sides.
      const priority: HistoryEvent[] = [];
      const ordinary: HistoryEvent[] = [];
      const base = () => ({ EventId: -1, IsPlayed: false, Timestamp: ts() });

      for (const timer of [...open.values()].filter((o) => o.kind === 'retry' && o.fireAt! <= clock)) {
        open.delete(timer.id);
        priority.push({
          ...base(),
          EventType: EventType.TimerFired,
          TimerId: timer.id,
          FireAt: new Date(timer.fireAt!).toISOString(),
        });
        if (timer.attempt < (timer.action.retryOptions?.maxNumberOfAttempts ?? 1)) {
          const id = seq++;
          priority.push({
            ...base(),
            EventType: EventType.TaskScheduled,
            EventId: id,
            Name: timer.action.functionName,
          });
          open.set(id, {
            id,
            kind: 'activity',
            action: timer.action,
            flatIndex: timer.flatIndex,
            attempt: timer.attempt + 1,
          });
        }
      }

      const work = [...open.values()].filter(
        (o) => (o.kind === 'activity' || o.kind === 'sub') && !priority.some((e) => e.EventId === o.id),
      );
      const picked = work.slice(0, options.completePerEpisode ?? work.length);
      const results = await Promise.all(picked.map((entry) => run(entry)));
      for (const [index, entry] of picked.entries()) {
        open.delete(entry.id);
        const result = results[index]!;
        if (entry.kind === 'sub') {
          ordinary.push(
            result.ok
              ? {
                  ...base(),
                  EventType: EventType.SubOrchestrationInstanceCompleted,
                  TaskScheduledId: entry.id,
                  Result: JSON.stringify(result.value ?? null),
                }
              : {
                  ...base(),
                  EventType: EventType.SubOrchestrationInstanceFailed,
                  TaskScheduledId: entry.id,
                  Reason: result.error,
                  Details: result.error,
                },
          );
          continue;
        }
        if (result.ok) {
          options.wire?.push(asWire(result.value));
          ordinary.push({
            ...base(),
            EventType: EventType.TaskCompleted,
            TaskScheduledId: entry.id,
            Result: JSON.stringify(result.value ?? null),
          });
          continue;
        }
        const failed = {
          ...base(),
          EventType: EventType.TaskFailed,
          TaskScheduledId: entry.id,
          FailureDetails: { ErrorType: 'Error', ErrorMessage: result.error },
        };
        if (entry.action.actionType !== 1) {
          ordinary.push(failed);
          continue;
        }
        const timerId = seq++;
        priority.push(failed, {
          ...base(),
          EventType: EventType.TimerCreated,
          EventId: timerId,
          FireAt: ts(),
        });
        open.set(timerId, {
          id: timerId,
          kind: 'retry',
          action: entry.action,
          flatIndex: entry.flatIndex,
          fireAt: clock,
          attempt: entry.attempt,
        });
      }

      if (picked.length === 0 && priority.length === 0) {
        const timers = [...open.values()].filter((o) => o.fireAt !== undefined);
        if (timers.length === 0)
          throw new Error(`orchestration ${instanceId} waits on nothing the harness can complete`);
        clock = Math.max(clock, Math.min(...timers.map((t) => t.fireAt!)));
      }
      for (const timer of [...open.values()].filter((o) => o.kind === 'timer' && o.fireAt! <= clock)) {
        open.delete(timer.id);
        ordinary.push({
          ...base(),
          EventType: EventType.TimerFired,
          TimerId: timer.id,
          FireAt: new Date(timer.fireAt!).toISOString(),
        });
      }
      history.push(...priority, ...ordinary);
      eventId = -1;
    }
  }

  async function run(entry: Open): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
    try {
      if (entry.kind === 'sub') {
        const child = await drive(
          entry.action.functionName!,
          entry.action.instanceId!,
          entry.action.input,
          { ...options, start: new Date(clock) },
          instanceId,
        );
        return child.status === 'completed'
          ? { ok: true, value: child.output }
          : { ok: false, error: child.error ?? 'failed' };
      }
      const impl = options.activities[entry.action.functionName!];
      if (!impl) throw new Error(`no activity ${entry.action.functionName}`);
      return { ok: true, value: await impl(entry.action.input) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
