import { WorkerAttemptError } from '../errors.js';

/**
 * Reads a `Retry-After` header as milliseconds from `now`: delta seconds or an HTTP date.
 * Returns undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Statuses that mean "this request will never succeed as sent". */
const PERMANENT = new Set([400, 404, 409, 410, 413, 415, 422]);

/**
 * Turns a non-2xx worker response into the attempt error the retry policy acts on:
 * 401 → `unauthorized` (retried once with a token acquired anew), 403 → `forbidden`,
 * 400/404/409/422 and other 4xx → `permanent`, 429/503 → `throttled` with the `Retry-After`,
 * 408 and other 5xx → `transient`.
 */
export function classifyResponse(
  status: number,
  retryAfter: string | null,
  detail: string,
  now: number,
): WorkerAttemptError {
  const message = `worker answered ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 401) return new WorkerAttemptError('unauthorized', status, message);
  if (status === 403) return new WorkerAttemptError('forbidden', status, message);
  if (status === 429 || status === 503) {
    return new WorkerAttemptError('throttled', status, message, parseRetryAfter(retryAfter, now));
  }
  if (status === 408 || status >= 500) return new WorkerAttemptError('transient', status, message);
  if (PERMANENT.has(status) || (status >= 400 && status < 500)) {
    return new WorkerAttemptError('permanent', status, message);
  }
  return new WorkerAttemptError('permanent', status, `worker answered an unexpected ${status}`);
}

/** The p-retry options shared by every worker call, from the settings. */
export function backoffOptions(settings: { retries: number; backoffMinMs: number; backoffMaxMs: number }): {
  retries: number;
  factor: number;
  minTimeout: number;
  maxTimeout: number;
  randomize: boolean;
} {
  return {
    retries: settings.retries,
    factor: 2,
    minTimeout: settings.backoffMinMs,
    maxTimeout: settings.backoffMaxMs,
    randomize: true,
  };
}
