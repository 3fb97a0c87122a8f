// One orchestration episode: turn the pending messages of an instance into new history, replay it
// through the real engine, and plan every write that follows. The plan is committed atomically by the
// dispatcher; nothing here touches the store.
import { doubleEncodedInput, flattenActions, rawInput } from './actions.js';
import { events, isReplayed } from './history.js';
import { decideRetry } from './retry.js';
import type { InstanceRow, MessageRow, TimerRow, WorkItemRow } from './store.js';
import {
  ActionType,
  EXECUTION_SCOPED,
  isTerminal,
  type FailureDetails,
  type HistoryEvent,
  type Message,
  type OrchestratorState,
  type RetryContext,
} from './types.js';

export interface ChildStart {
  instanceId: string;
  name: string;
  input: string;
  parentTaskId: number;
  retry: RetryContext | null;
}

export interface OutgoingMessage {
  instanceId: string;
  executionId: string | null;
  message: Message;
}

export interface EpisodePlan {
  consumed: number[];
  history: HistoryEvent[];
  instance: Partial<Omit<InstanceRow, 'id'>>;
  workItems: Omit<WorkItemRow, 'id'>[];
  timers: Omit<TimerRow, 'id'>[];
  children: ChildStart[];
  outgoing: OutgoingMessage[];
  /** Set when the execution ended (completed, failed, terminated, continued as new). */
  ended?: 'completed' | 'failed' | 'terminated' | 'continuedAsNew';
  continueAsNewInput?: string;
  /** Whether the engine ran (else only control events were recorded). */
  replayed: boolean;
}

/** Replays history (JSON texts of already played events plus the new ones) through the engine. */
export type ReplayFn = (historyJson: string[]) => Promise<ReplayOutcome>;
export type ReplayOutcome = { ok: true; state: OrchestratorState } | { ok: false; state: OrchestratorState };

export class UnsupportedActionError extends Error {
  constructor(actionType: number) {
    super(`Orchestrator action type ${actionType} (entities, HTTP calls) is not supported by devhost.`);
    this.name = 'UnsupportedActionError';
  }
}

const ID_ALLOCATING = (message: Message): boolean =>
  (message.kind === 'activityFailed' || message.kind === 'subFailed' || message.kind === 'timerFired') &&
  message.retry !== undefined;

/** Builds and replays one episode for `row` from `messages` (in arrival order). */
export async function runEpisode(
  row: InstanceRow,
  messages: readonly MessageRow[],
  playedJson: readonly string[],
  replay: ReplayFn,
  now: number,
): Promise<EpisodePlan> {
  const plan: EpisodePlan = {
    consumed: [],
    history: [],
    instance: {},
    workItems: [],
    timers: [],
    children: [],
    outgoing: [],
    replayed: false,
  };

  if (isTerminal(row.status)) {
    plan.consumed = messages.map((m) => m.id);
    return plan;
  }

  // Control messages first, in arrival order; a suspended instance buffers everything else.
  let suspended = row.status === 'Suspended';
  const ready: MessageRow[] = [];
  const buffered: MessageRow[] = [];
  for (const entry of messages) {
    const { message } = entry;
    if (EXECUTION_SCOPED.has(message.kind) && entry.execution_id !== row.execution_id) {
      plan.consumed.push(entry.id);
      continue;
    }
    if (message.kind === 'terminate') return terminate(messages, message.reason, now);
    if (message.kind === 'suspend' || message.kind === 'resume') {
      plan.consumed.push(entry.id);
      if (message.kind === 'suspend' && !suspended)
        plan.history.push(events.executionSuspended(now, message.reason));
      if (message.kind === 'resume' && suspended) {
        plan.history.push(events.executionResumed(now, message.reason));
        ready.push(...buffered.splice(0));
      }
      suspended = message.kind === 'suspend';
      continue;
    }
    (suspended ? buffered : ready).push(entry);
  }
  plan.instance = {
    status: suspended ? 'Suspended' : row.status === 'Suspended' ? 'Running' : row.status,
    updated_at: now,
  };
  if (suspended || ready.length === 0) return plan;

  // The episode: OrchestratorStarted, the start, id-allocating retry events, then the rest.
  const fresh: HistoryEvent[] = [events.orchestratorStarted(now)];
  let nextId = row.next_event_id;
  const ordered = [
    ...ready.filter((m) => m.message.kind === 'start'),
    ...ready.filter((m) => ID_ALLOCATING(m.message)),
    ...ready.filter((m) => m.message.kind !== 'start' && !ID_ALLOCATING(m.message)),
  ];
  let started = playedJson.length > 0;
  for (const entry of ordered) {
    plan.consumed.push(entry.id);
    const message = entry.message;
    switch (message.kind) {
      case 'start':
        if (started) break;
        started = true;
        fresh.push(
          events.executionStarted(now, {
            name: row.name,
            input: message.input,
            instanceId: row.id,
            executionId: row.execution_id,
            parentInstanceId: row.parent_id,
          }),
        );
        break;
      case 'activityCompleted':
        fresh.push(events.taskCompleted(now, message.taskId, message.result));
        break;
      case 'subCompleted':
        fresh.push(events.subCompleted(now, message.taskId, message.result));
        break;
      case 'activityFailed':
      case 'subFailed': {
        const make = message.kind === 'activityFailed' ? events.taskFailed : events.subFailed;
        fresh.push(make(now, message.taskId, message.failure));
        if (!message.retry) break;
        const timerId = nextId++;
        const decision = decideRetry(message.retry, message.failure, now);
        fresh.push(events.timerCreated(now, timerId, decision.fireAt));
        plan.timers.push({
          instance_id: row.id,
          execution_id: row.execution_id,
          timer_id: timerId,
          fire_at: decision.fireAt,
          retry: decision.next,
        });
        break;
      }
      case 'timerFired': {
        fresh.push(events.timerFired(now, message.timerId, message.fireAt));
        const retry = message.retry;
        if (!retry || retry.attempt > retry.options.maxNumberOfAttempts) break;
        nextId = scheduleAttempt(plan, fresh, row, retry, nextId, now);
        break;
      }
      case 'event':
        fresh.push(events.eventRaised(now, message.name, message.input));
        break;
    }
  }
  if (!started) {
    // Nothing to replay without a start; keep the messages for when it arrives.
    plan.consumed = plan.consumed.filter((id) => !ready.some((m) => m.id === id));
    return plan;
  }

  // Replay.
  const replayedJson = fresh.filter(isReplayed).map((item) => JSON.stringify(item));
  const outcome = await replay([...playedJson, ...replayedJson]);
  plan.replayed = true;
  plan.history.push(...fresh);
  const state = outcome.state;
  const customStatus = state.customStatus === undefined ? null : JSON.stringify(state.customStatus);
  plan.instance = { ...plan.instance, status: 'Running', custom_status: customStatus };

  if (!outcome.ok) return fail(plan, row, failureOf(state), now);

  const actions = flattenActions(state);
  let continueAsNew: string | undefined;
  for (const action of actions.slice(row.scheduled_actions)) {
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        const id = nextId++;
        const input = doubleEncodedInput(action.input);
        const name = action.functionName ?? '';
        const retry: RetryContext | null = action.retryOptions
          ? { target: 'activity', name, input, options: action.retryOptions, attempt: 1, firstAttemptAt: now }
          : null;
        plan.history.push(events.taskScheduled(now, id, name, input));
        plan.workItems.push({
          instance_id: row.id,
          execution_id: row.execution_id,
          task_id: id,
          name,
          input,
          retry,
        });
        break;
      }
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry: {
        const id = nextId++;
        const input = rawInput(action.input);
        const name = action.functionName ?? '';
        const retry: RetryContext | null = action.retryOptions
          ? {
              target: 'orchestration',
              name,
              input,
              options: action.retryOptions,
              attempt: 1,
              firstAttemptAt: now,
              ...(action.instanceId ? { instanceId: action.instanceId } : {}),
            }
          : null;
        const childId = action.instanceId || `${row.id}:${id}`;
        plan.history.push(events.subCreated(now, id, name, childId, input));
        plan.children.push({ instanceId: childId, name, input, parentTaskId: id, retry });
        break;
      }
      case ActionType.CreateTimer: {
        const id = nextId++;
        const fireAt = Date.parse(action.fireAt ?? '') || now;
        plan.history.push(events.timerCreated(now, id, fireAt));
        plan.timers.push({
          instance_id: row.id,
          execution_id: row.execution_id,
          timer_id: id,
          fire_at: fireAt,
          retry: null,
        });
        break;
      }
      case ActionType.WaitForExternalEvent:
        break;
      case ActionType.ContinueAsNew:
        continueAsNew = doubleEncodedInput(action.input);
        break;
      default:
        return fail(plan, row, failureFromError(new UnsupportedActionError(action.actionType)), now);
    }
  }
  plan.instance.next_event_id = nextId;
  plan.instance.scheduled_actions = actions.length;

  if (state.isDone && continueAsNew !== undefined) {
    plan.history.push(events.continueAsNew(now, continueAsNew));
    plan.ended = 'continuedAsNew';
    plan.continueAsNewInput = continueAsNew;
    plan.instance.status = 'ContinuedAsNew';
  } else if (state.isDone) {
    const output = state.output === undefined ? 'null' : JSON.stringify(state.output);
    plan.history.push(events.orchestratorCompleted(now), events.executionCompleted(now, 'Completed', output));
    plan.ended = 'completed';
    plan.instance = { ...plan.instance, status: 'Completed', output };
    notifyParent(plan, row, { kind: 'subCompleted', taskId: row.parent_task_id ?? -1, result: output });
    return plan;
  }
  plan.history.push(events.orchestratorCompleted(now));
  return plan;
}

function scheduleAttempt(
  plan: EpisodePlan,
  fresh: HistoryEvent[],
  row: InstanceRow,
  retry: RetryContext,
  nextId: number,
  now: number,
): number {
  const id = nextId;
  const failed = retry.exhausted && retry.lastFailure ? retry.lastFailure : undefined;
  if (retry.target === 'activity') {
    fresh.push(events.taskScheduled(now, id, retry.name, retry.input));
    if (failed)
      plan.outgoing.push({
        instanceId: row.id,
        executionId: row.execution_id,
        message: { kind: 'activityFailed', taskId: id, failure: failed, retry },
      });
    else
      plan.workItems.push({
        instance_id: row.id,
        execution_id: row.execution_id,
        task_id: id,
        name: retry.name,
        input: retry.input,
        retry,
      });
    return nextId + 1;
  }
  const childId = retry.instanceId ?? `${row.id}:${id}`;
  fresh.push(events.subCreated(now, id, retry.name, childId, retry.input));
  if (failed)
    plan.outgoing.push({
      instanceId: row.id,
      executionId: row.execution_id,
      message: { kind: 'subFailed', taskId: id, failure: failed, retry },
    });
  else
    plan.children.push({
      instanceId: childId,
      name: retry.name,
      input: retry.input,
      parentTaskId: id,
      retry,
    });
  return nextId + 1;
}

function terminate(messages: readonly MessageRow[], reason: string, now: number): EpisodePlan {
  const output = JSON.stringify(reason);
  return {
    consumed: messages.map((m) => m.id),
    history: [events.executionTerminated(now, reason)],
    instance: { status: 'Terminated', output, updated_at: now },
    workItems: [],
    timers: [],
    children: [],
    outgoing: [],
    ended: 'terminated',
    replayed: false,
  };
}

function fail(plan: EpisodePlan, row: InstanceRow, failure: FailureDetails, now: number): EpisodePlan {
  const output = JSON.stringify(`Orchestrator function '${row.name}' failed: ${failure.ErrorMessage}`);
  plan.history.push(
    events.orchestratorCompleted(now),
    events.executionCompleted(now, 'Failed', output, failure),
  );
  plan.workItems = [];
  plan.timers = [];
  plan.children = [];
  plan.outgoing = [];
  plan.ended = 'failed';
  plan.instance = {
    ...plan.instance,
    status: 'Failed',
    output,
    failure: JSON.stringify(failure),
    updated_at: now,
  };
  const retry = row.parent_retry ? (JSON.parse(row.parent_retry) as RetryContext) : undefined;
  notifyParent(plan, row, {
    kind: 'subFailed',
    taskId: row.parent_task_id ?? -1,
    failure,
    ...(retry ? { retry } : {}),
  });
  return plan;
}

function notifyParent(plan: EpisodePlan, row: InstanceRow, message: Message): void {
  if (!row.parent_id) return;
  plan.outgoing.push({ instanceId: row.parent_id, executionId: row.parent_execution_id, message });
}

function failureOf(state: OrchestratorState): FailureDetails {
  const message = state.error ?? state.failureDetails?.errorMessage ?? 'The orchestrator function failed.';
  return {
    ErrorType: state.failureDetails?.errorName ?? 'Error',
    ErrorMessage: message,
    ...(state.failureDetails?.errorDetails ? { StackTrace: state.failureDetails.errorDetails } : {}),
  };
}

export function failureFromError(error: unknown): FailureDetails {
  if (error instanceof Error) {
    return {
      ErrorType: error.name || 'Error',
      ErrorMessage: error.message,
      ...(error.stack ? { StackTrace: error.stack } : {}),
    };
  }
  return { ErrorType: 'Error', ErrorMessage: typeof error === 'string' ? error : JSON.stringify(error) };
}
