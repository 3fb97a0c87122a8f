import type { InvocationContext } from '@azure/functions';

/** Every named event the worker logs. */
export type WorkerEvent =
  | 'item.processed'
  | 'item.replayed'
  | 'item.rejected'
  | 'item.in-progress'
  | 'items.listed'
  | 'request.unauthorized'
  | 'request.forbidden'
  | 'callers.unconfigured'
  | 'load.shed'
  | 'store.unavailable'
  | 'settings.invalid'
  | 'demo.seeding'
  | 'demo.seeded'
  | 'request.failed';

/** Properties of an event: identifiers and counts only, never a header value, token or key. */
export type EventProperties = Record<string, string | number | boolean | null | undefined>;

type Level = 'info' | 'warn' | 'error';

/**
 * Logs one named event through the invocation context, as `<event> <JSON properties>` in a single
 * message so that it reads the same in the Functions host, Application Insights and tests.
 */
export function logEvent(
  context: InvocationContext,
  level: Level,
  event: WorkerEvent,
  properties: EventProperties = {},
): void {
  const message = `${event} ${JSON.stringify(properties)}`;
  if (level === 'info') context.info(message);
  else if (level === 'warn') context.warn(message);
  else context.error(message);
}

/** Splits a message written by {@link logEvent} back into its event and properties. */
export function parseEvent(message: string): { event: string; properties: EventProperties } | undefined {
  const match = /^([a-z]+(?:[.-][a-z]+)+) (\{.*\})$/s.exec(message);
  if (!match?.[1] || !match[2]) return undefined;
  try {
    return { event: match[1], properties: JSON.parse(match[2]) as EventProperties };
  } catch {
    return undefined;
  }
}
