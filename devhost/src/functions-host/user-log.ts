// Turns a function's log message into a named event when the app already logs structured events.

export interface UserLogEvent {
  event: string;
  props: Record<string, unknown>;
}

const EVENT_NAME = /^[A-Za-z][\w.:-]{0,80}$/;
const NAMED_JSON = /^([A-Za-z][\w.:-]{0,80}) (\{[\s\S]*\})$/;
// Keys the log record itself owns; an app's own values for them are kept under another name.
const RESERVED = new Set(['time', 'level', 'event', 'component', 'function', 'invocationId']);

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function withoutReserved(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(props).map(([key, value]) => [RESERVED.has(key) ? `app.${key}` : key, value]),
  );
}

/**
 * `{"event":"run.started",...}` and `run.started {...}` become the event `run.started` with those
 * properties, so app events read like devhost's own; any other message stays `function.log`.
 */
export function toUserLogEvent(message: string): UserLogEvent {
  const trimmed = message.trim();
  if (trimmed.startsWith('{')) {
    const object = parseObject(trimmed);
    const { event, ...rest } = object ?? {};
    if (typeof event === 'string' && EVENT_NAME.test(event)) return { event, props: withoutReserved(rest) };
  }
  const named = NAMED_JSON.exec(trimmed);
  const object = named?.[2] ? parseObject(named[2]) : undefined;
  if (named?.[1] && object) return { event: named[1], props: withoutReserved(object) };
  return { event: 'function.log', props: { message } };
}
