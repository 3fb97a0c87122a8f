// One orchestration episode: turn the pending messages of an instance into new history, replay it
// through the real engine, and plan every write that follows. The plan is committed atomically by the
// dispatcher; nothing here touches the store.
import { flattenActions } from './actions.js';
import { failureFromError, failureOf } from './failure.js';
import { events, isReplayed } from './history.js';
import type { EpisodePlan } from './plan.js';
import { decideRetry } from './retry.js';
import { scheduleActions, scheduleAttempt, UnsupportedActionError, type Scheduled } from './scheduling.js';
import type { InstanceRow, MessageRow } from './store.js';
import {
  EXECUTION_SCOPED,
  isTerminal,
  type FailureDetails,
  type HistoryEvent,
  type Message,
  type OrchestratorState,
  type RetryContext,
} from './types.js';

export type { EpisodePlan } from './plan.js';

/** Replays history (JSON texts of already played events plus the new ones) through the engine. */
export type ReplayFn = (historyJson: string[]) => Promise<ReplayOutcome>;
export type ReplayOutcome = { ok: true; state: OrchestratorState } | { ok: false; state: OrchestratorState };

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
  let scheduled: Scheduled;
  try {
    scheduled = scheduleActions(plan, row, actions.slice(row.scheduled_actions), nextId, now);
  } catch (error) {
    if (!(error instanceof UnsupportedActionError)) throw error;
    return fail(plan, row, failureFromError(error), now);
  }
  nextId = scheduled.nextId;
  const continueAsNew = scheduled.continueAsNew;
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
