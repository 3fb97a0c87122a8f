import { createHash } from 'node:crypto';

import type { RunSettings } from '../settings.js';

/** A validated `POST /api/runs` body with defaults applied. */
export interface StartRunRequest {
  job: string;
  period: string;
  itemIds: string[] | undefined;
  maxParallel: number;
  chunkSize: number;
}

/** A field-level validation failure. */
export interface FieldError {
  field: string;
  detail: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: FieldError };

const JOB = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const ITEM_ID = /^[\x21-\x7e]{1,150}$/;
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,200}$/;
/** Run ids: what the API generates, the timer derives, or a key hashes to. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const MAX_ITEM_IDS = 10_000;
const FIELDS = new Set(['job', 'period', 'itemIds', 'maxParallel', 'chunkSize']);

const fail = (field: string, detail: string): { ok: false; error: FieldError } => ({
  ok: false,
  error: { field, detail },
});

function intField(
  body: Record<string, unknown>,
  field: string,
  fallback: number,
  min: number,
  max: number,
): Parsed<number> {
  const value = body[field];
  if (value === undefined) return { ok: true, value: fallback };
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail(field, `${field} must be an integer from ${min} to ${max}.`);
  }
  return { ok: true, value };
}

/** The calendar month before the one `now` falls in, as `YYYY-MM` (UTC). */
export function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Validates a start body; the period defaults to the month before `now`. */
export function parseStartRun(body: unknown, defaults: RunSettings, now: Date): Parsed<StartRunRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return fail('body', 'The body must be a JSON object.');
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !FIELDS.has(key));
  if (unknown) return fail(unknown, `Unknown field ${JSON.stringify(unknown)}.`);

  if (typeof record.job !== 'string' || !JOB.test(record.job)) {
    return fail('job', 'job must be 1-64 letters, digits, "-" or "_".');
  }
  let period = previousMonth(now);
  if (record.period !== undefined) {
    if (typeof record.period !== 'string' || !PERIOD.test(record.period))
      return fail('period', 'period must be YYYY-MM.');
    period = record.period;
  }
  let itemIds: string[] | undefined;
  if (record.itemIds !== undefined) {
    const ids = record.itemIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_ITEM_IDS) {
      return fail('itemIds', `itemIds must be a list of 1 to ${MAX_ITEM_IDS} item ids.`);
    }
    const bad = ids.findIndex((id) => typeof id !== 'string' || !ITEM_ID.test(id));
    if (bad >= 0)
      return fail('itemIds', `itemIds[${bad}] must be 1-150 printable characters without spaces.`);
    itemIds = [...new Set(ids as string[])];
  }
  const maxParallel = intField(record, 'maxParallel', defaults.maxParallel, 1, 256);
  if (!maxParallel.ok) return maxParallel;
  const chunkSize = intField(record, 'chunkSize', defaults.chunkSize, 10, 1000);
  if (!chunkSize.ok) return chunkSize;
  return {
    ok: true,
    value: { job: record.job, period, itemIds, maxParallel: maxParallel.value, chunkSize: chunkSize.value },
  };
}

/** Validates an `Idempotency-Key` header (absent is fine). */
export function parseIdempotencyKey(value: string | null): Parsed<string | undefined> {
  if (value === null) return { ok: true, value: undefined };
  if (!IDEMPOTENCY_KEY.test(value))
    return fail('Idempotency-Key', 'Idempotency-Key must be 1-200 printable characters.');
  return { ok: true, value };
}

/** The run id an idempotency key maps to: the same key always names the same run. */
export function runIdForKey(key: string): string {
  return `run-${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)}`;
}

/** A digest of what a start request asks for, to tell a replay from a reused key. */
export function requestHash(request: StartRunRequest): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 32);
}

/** The run statuses of the API, for `?status=`. */
export const RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'suspended'] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];

/** A validated `GET /api/runs` query. */
export interface ListRunsQuery {
  statuses: RunStatusName[] | undefined;
  from: Date | undefined;
  to: Date | undefined;
  top: number;
  offset: number;
}

function date(value: string | null, field: string): Parsed<Date | undefined> {
  if (value === null || value === '') return { ok: true, value: undefined };
  const parsed = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed.getTime())) {
    return fail(field, `${field} must be an ISO 8601 date-time.`);
  }
  return { ok: true, value: parsed };
}

/** The opaque continuation token of the list: the offset of the next page under the same filter. */
export function encodeContinuation(offset: number, filter: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: filter })).toString('base64url');
}

/** Validates the list query. */
export function parseListRuns(query: URLSearchParams): Parsed<ListRunsQuery> {
  let statuses: RunStatusName[] | undefined;
  const rawStatus = query.get('status');
  if (rawStatus) {
    const names = rawStatus.split(',').map((s) => s.trim());
    const bad = names.find((s) => !(RUN_STATUSES as readonly string[]).includes(s));
    if (bad !== undefined) return fail('status', `status must be one or more of ${RUN_STATUSES.join(', ')}.`);
    statuses = names as RunStatusName[];
  }
  const from = date(query.get('from'), 'from');
  if (!from.ok) return from;
  const to = date(query.get('to'), 'to');
  if (!to.ok) return to;
  if (from.value && to.value && from.value > to.value) return fail('to', 'to must not be before from.');
  let top = 50;
  const rawTop = query.get('top');
  if (rawTop !== null) {
    top = Number(rawTop);
    if (!/^\d+$/.test(rawTop) || top < 1 || top > 100)
      return fail('top', 'top must be an integer from 1 to 100.');
  }
  let offset = 0;
  const token = query.get('continuationToken');
  if (token) {
    try {
      const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
        o?: unknown;
        f?: unknown;
      };
      if (typeof decoded.o !== 'number' || !Number.isInteger(decoded.o) || decoded.o < 0)
        throw new TypeError('offset');
      if (decoded.f !== listFilterKey(statuses, from.value, to.value)) {
        return fail('continuationToken', 'continuationToken belongs to a different filter.');
      }
      offset = decoded.o;
    } catch {
      return fail('continuationToken', 'continuationToken is not one this API issued.');
    }
  }
  return { ok: true, value: { statuses, from: from.value, to: to.value, top, offset } };
}

/** Identifies a filter, so a continuation token is only accepted with the filter it was issued for. */
export function listFilterKey(
  statuses: readonly string[] | undefined,
  from: Date | undefined,
  to: Date | undefined,
): string {
  return createHash('sha256')
    .update(JSON.stringify([statuses ?? [], from?.toISOString() ?? '', to?.toISOString() ?? '']))
    .digest('hex')
    .slice(0, 16);
}
