// History events in the wire form the durable-functions replay engine reads, plus the form the
// management API shows (`historyEvents`).
import {
  EVENT_TYPE_NAMES,
  EventType,
  type EventTypeNumber,
  type FailureDetails,
  type HistoryEvent,
} from './types.js';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function event(
  type: EventTypeNumber,
  now: number,
  fields: Record<string, unknown> = {},
  eventId = -1,
): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: iso(now), ...fields };
}

/** A failed task's fields, in both forms the engine reads: `FailureDetails`, and `Reason` with `Details`. */
function taskFailure(taskId: number, failure: FailureDetails): Record<string, unknown> {
  return {
    TaskScheduledId: taskId,
    Reason: failure.ErrorMessage,
    Details: failure.StackTrace ?? '',
    FailureDetails: failure,
  };
}

export const events = {
  orchestratorStarted: (now: number) => event(EventType.OrchestratorStarted, now),
  orchestratorCompleted: (now: number) => event(EventType.OrchestratorCompleted, now),
  executionStarted: (
    now: number,
    f: {
      name: string;
      input: string | null;
      instanceId: string;
      executionId: string;
      parentInstanceId?: string | null;
    },
  ) =>
    event(EventType.ExecutionStarted, now, {
      Name: f.name,
      Input: f.input,
      OrchestrationInstance: { InstanceId: f.instanceId, ExecutionId: f.executionId },
      ...(f.parentInstanceId
        ? { ParentInstance: { OrchestrationInstance: { InstanceId: f.parentInstanceId } } }
        : {}),
    }),
  executionCompleted: (
    now: number,
    status: 'Completed' | 'Failed',
    result: string | null,
    failure?: FailureDetails,
  ) =>
    event(EventType.ExecutionCompleted, now, {
      OrchestrationStatus: status,
      Result: result,
      ...(failure ? { FailureDetails: failure } : {}),
    }),
  executionTerminated: (now: number, reason: string) =>
    event(EventType.ExecutionTerminated, now, { Input: reason }),
  executionSuspended: (now: number, reason: string) =>
    event(EventType.ExecutionSuspended, now, { Reason: reason }),
  executionResumed: (now: number, reason: string) =>
    event(EventType.ExecutionResumed, now, { Reason: reason }),
  continueAsNew: (now: number, input: string) => event(EventType.ContinueAsNew, now, { Result: input }),
  taskScheduled: (now: number, id: number, name: string, input: string) =>
    event(EventType.TaskScheduled, now, { Name: name, Input: input }, id),
  taskCompleted: (now: number, taskId: number, result: string) =>
    event(EventType.TaskCompleted, now, { TaskScheduledId: taskId, Result: result }),
  taskFailed: (now: number, taskId: number, failure: FailureDetails) =>
    event(EventType.TaskFailed, now, taskFailure(taskId, failure)),
  subCreated: (now: number, id: number, name: string, instanceId: string, input: string) =>
    event(
      EventType.SubOrchestrationInstanceCreated,
      now,
      { Name: name, InstanceId: instanceId, Input: input },
      id,
    ),
  subCompleted: (now: number, taskId: number, result: string) =>
    event(EventType.SubOrchestrationInstanceCompleted, now, { TaskScheduledId: taskId, Result: result }),
  subFailed: (now: number, taskId: number, failure: FailureDetails) =>
    event(EventType.SubOrchestrationInstanceFailed, now, taskFailure(taskId, failure)),
  timerCreated: (now: number, id: number, fireAt: number) =>
    event(EventType.TimerCreated, now, { FireAt: iso(fireAt) }, id),
  timerFired: (now: number, timerId: number, fireAt: string) =>
    event(EventType.TimerFired, now, { TimerId: timerId, FireAt: fireAt }),
  eventRaised: (now: number, name: string, input: string | null) =>
    event(EventType.EventRaised, now, { Name: name, Input: input }),
};

/** Events the replay engine never reads; they stay in the store but are not sent to it. */
const NOT_REPLAYED: ReadonlySet<number> = new Set<number>([
  EventType.TaskScheduled,
  EventType.TimerCreated,
  EventType.SubOrchestrationInstanceCreated,
  EventType.OrchestratorCompleted,
  EventType.ExecutionCompleted,
  EventType.ExecutionTerminated,
  EventType.ExecutionSuspended,
  EventType.ExecutionResumed,
]);

export function isReplayed(historyEvent: HistoryEvent): boolean {
  return !NOT_REPLAYED.has(historyEvent.EventType);
}

/** JSON of an event as it appears in a later replay (already played). */
export function playedJson(historyEvent: HistoryEvent): string {
  return JSON.stringify({ ...historyEvent, IsPlayed: true });
}

export interface ShowHistoryOptions {
  showOutput: boolean;
}

/**
 * The management API's `historyEvents`: orchestrator episode markers dropped, each completion merged
 * with its scheduling event (FunctionName, ScheduledTime), event types as names, inputs and results
 * only with showHistoryOutput.
 */
export function toStatusHistory(
  history: readonly HistoryEvent[],
  options: ShowHistoryOptions,
): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  for (const item of history) {
    if (
      item.EventType === EventType.TaskScheduled ||
      item.EventType === EventType.SubOrchestrationInstanceCreated
    ) {
      scheduled.set(item.EventId, item);
    }
  }

  const merged = new Set<number>();
  const views: { item: HistoryEvent; view: Record<string, unknown> }[] = [];
  for (const item of history) {
    if (
      item.EventType === EventType.OrchestratorStarted ||
      item.EventType === EventType.OrchestratorCompleted
    )
      continue;
    const view: Record<string, unknown> = {
      EventType: EVENT_TYPE_NAMES[item.EventType],
      Timestamp: item.Timestamp,
    };
    const origin = typeof item.TaskScheduledId === 'number' ? scheduled.get(item.TaskScheduledId) : undefined;
    if (origin) {
      merged.add(origin.EventId);
      view.FunctionName = origin.Name;
      view.ScheduledTime = origin.Timestamp;
      if (origin.InstanceId) view.InstanceId = origin.InstanceId;
    }
    copyFields(item, view, options);
    views.push({ item, view });
  }
  return views
    .filter(({ item }) => !(scheduled.get(item.EventId) === item && merged.has(item.EventId)))
    .map(({ view }) => view);
}

function copyFields(item: HistoryEvent, view: Record<string, unknown>, options: ShowHistoryOptions): void {
  const skip = new Set([
    'EventType',
    'EventId',
    'IsPlayed',
    'Timestamp',
    'TaskScheduledId',
    'OrchestrationInstance',
    'ParentInstance',
  ]);
  for (const [key, value] of Object.entries(item)) {
    if (skip.has(key)) continue;
    if ((key === 'Input' || key === 'Result') && !options.showOutput) continue;
    if (key === 'Name') {
      view.FunctionName = value;
      continue;
    }
    view[key] =
      (key === 'Input' || key === 'Result') && typeof value === 'string' ? parseJsonText(value) : value;
  }
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
