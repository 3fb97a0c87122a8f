// History events of one instance, normalised, and the spans of a Gantt timeline built from them.
// Hosts send either the full event stream (TaskScheduled ... TaskCompleted, paired by id) or the
// condensed form Azure's API returns (completions carrying FunctionName and ScheduledTime).
import { field, type Instance } from './instance.js';
import { parseTime } from './format.js';

export interface HistoryEvent {
  index: number;
  type: string;
  name?: string;
  timestamp?: string;
  scheduledTime?: string;
  eventId?: number;
  /** Id of the scheduling event this one completes (TaskScheduledId / TimerId). */
  correlatesTo?: number;
  instanceId?: string;
  result?: unknown;
  input?: unknown;
  reason?: string;
  details?: string;
  fireAt?: string;
}

export type SpanKind = 'activity' | 'timer' | 'suborchestration';

export interface Span {
  kind: SpanKind;
  name: string;
  start: number;
  /** Undefined while the work is still pending. */
  end?: number;
  outcome: 'completed' | 'failed' | 'pending';
  instanceId?: string;
  eventIndex: number;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

export function normalizeHistory(raw: readonly unknown[] | undefined): HistoryEvent[] {
  if (!raw) return [];
  const events = raw.flatMap((entry, index): HistoryEvent[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const e = entry as Record<string, unknown>;
    return [
      {
        index,
        type: str(field(e, 'EventType')) ?? 'Unknown',
        name: str(field(e, 'FunctionName')) ?? str(field(e, 'Name')),
        timestamp: str(field(e, 'Timestamp')),
        scheduledTime: str(field(e, 'ScheduledTime')),
        eventId: num(field(e, 'EventId')),
        correlatesTo: num(field(e, 'TaskScheduledId')) ?? num(field(e, 'TimerId')),
        instanceId: str(field(e, 'InstanceId')),
        result: field(e, 'Result'),
        input: field(e, 'Input'),
        reason: str(field(e, 'Reason')),
        details: str(field(e, 'Details')),
        fireAt: str(field(e, 'FireAt')),
      },
    ];
  });

  // Completions in the full stream name only the event they complete; carry the name over.
  const names = new Map<number, string>();
  for (const event of events) {
    if (STARTS[event.type] && event.eventId !== undefined && event.name) names.set(event.eventId, event.name);
    else if (!event.name && event.correlatesTo !== undefined) event.name = names.get(event.correlatesTo);
  }
  return events;
}

const STARTS: Record<string, SpanKind> = {
  TaskScheduled: 'activity',
  TimerCreated: 'timer',
  SubOrchestrationInstanceCreated: 'suborchestration',
};

const ENDS: Record<string, { kind: SpanKind; outcome: 'completed' | 'failed' }> = {
  TaskCompleted: { kind: 'activity', outcome: 'completed' },
  TaskFailed: { kind: 'activity', outcome: 'failed' },
  TimerFired: { kind: 'timer', outcome: 'completed' },
  SubOrchestrationInstanceCompleted: { kind: 'suborchestration', outcome: 'completed' },
  SubOrchestrationInstanceFailed: { kind: 'suborchestration', outcome: 'failed' },
};

/** One span per activity, timer and sub-orchestration, in the order they started. */
export function buildSpans(events: readonly HistoryEvent[]): Span[] {
  const spans: Span[] = [];
  const byEventId = new Map<number, Span>();
  const openByName = new Map<string, Span[]>();

  for (const event of events) {
    const startKind = STARTS[event.type];
    const time = parseTime(event.timestamp);
    if (startKind && time !== undefined) {
      const span: Span = {
        kind: startKind,
        name: event.name ?? (startKind === 'timer' ? 'timer' : '?'),
        start: time,
        outcome: 'pending',
        instanceId: event.instanceId,
        eventIndex: event.index,
      };
      spans.push(span);
      if (event.eventId !== undefined) byEventId.set(event.eventId, span);
      const key = `${startKind}:${span.name}`;
      openByName.set(key, [...(openByName.get(key) ?? []), span]);
      continue;
    }

    const end = ENDS[event.type];
    if (!end || time === undefined) continue;
    let span = event.correlatesTo === undefined ? undefined : byEventId.get(event.correlatesTo);
    if (!span && event.name)
      span = openByName.get(`${end.kind}:${event.name}`)?.find((s) => s.outcome === 'pending');
    if (!span && end.kind === 'timer')
      span = openByName.get('timer:timer')?.find((s) => s.outcome === 'pending');
    if (span && span.outcome === 'pending') {
      span.end = time;
      span.outcome = end.outcome;
      span.instanceId ??= event.instanceId;
      continue;
    }
    const scheduled = parseTime(event.scheduledTime) ?? (end.kind === 'timer' ? time : undefined);
    if (scheduled === undefined) continue;
    spans.push({
      kind: end.kind,
      name: event.name ?? end.kind,
      start: Math.min(scheduled, time),
      end: time,
      outcome: end.outcome,
      instanceId: event.instanceId,
      eventIndex: event.index,
    });
  }
  return spans.sort((a, b) => a.start - b.start || a.eventIndex - b.eventIndex);
}

/** Time window covering all spans, ending at `now` when some are still pending. */
export function spanWindow(spans: readonly Span[], now: number): { start: number; end: number } | undefined {
  if (spans.length === 0) return undefined;
  let start = Infinity;
  let end = -Infinity;
  for (const span of spans) {
    start = Math.min(start, span.start);
    end = Math.max(end, span.end ?? now);
  }
  return { start, end: Math.max(end, start + 1) };
}

/** Instance ids of the sub-orchestrations this instance started. */
export function childInstanceIds(events: readonly HistoryEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events)
    if (event.type.startsWith('SubOrchestration') && event.instanceId) ids.add(event.instanceId);
  return [...ids];
}

/** The parent instance id, from the status document or from the ExecutionStarted event. */
export function parentInstanceId(
  instance: Instance,
  raw: readonly unknown[] | undefined,
): string | undefined {
  if (instance.parentInstanceId) return instance.parentInstanceId;
  const started = raw?.find(
    (e) =>
      typeof e === 'object' &&
      e !== null &&
      field(e as Record<string, unknown>, 'EventType') === 'ExecutionStarted',
  ) as Record<string, unknown> | undefined;
  if (!started) return undefined;
  const parent = field(started, 'ParentInstance');
  if (typeof parent === 'object' && parent !== null) {
    const orchestration = field(parent as Record<string, unknown>, 'OrchestrationInstance');
    const holder = (
      typeof orchestration === 'object' && orchestration !== null ? orchestration : parent
    ) as Record<string, unknown>;
    return str(field(holder, 'InstanceId'));
  }
  return str(field(started, 'ParentInstanceId'));
}
