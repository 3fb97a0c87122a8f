/** Where log events go: an `InvocationContext` (or an orchestration context) satisfies this. */
export interface LogSink {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export type LogLevel = 'info' | 'warn' | 'error';

/** Matches a compact JWS such as an access token, so it can never reach a log line. */
const JWT_LIKE = /eyJ[\w-]*\.eyJ[\w-]*\.[\w-]*/g;

/** Replaces anything shaped like a bearer token with a marker. */
export function redact(text: string): string {
  return text.replace(JWT_LIKE, '[redacted-token]');
}

/**
 * Writes one named, structured event as a single JSON line, e.g.
 * `{"event":"item.throttled","runId":"…","retryAfterMs":30000}`. Values shaped like tokens are redacted.
 */
export function logEvent(
  sink: LogSink,
  level: LogLevel,
  event: string,
  props: Record<string, unknown> = {},
): void {
  const line = redact(JSON.stringify({ event, ...props }));
  sink[level](line);
}
