import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

import pRetry, { AbortError } from 'p-retry';

import { WorkerAttemptError, WorkerUnavailableError } from '../errors.js';
import { logEvent, redact, type LogSink } from '../log.js';
import type { WorkerSettings } from '../settings.js';
import { backoffOptions, classifyResponse } from './retry-policy.js';
import type { TokenProvider } from './token-provider.js';

/** What a worker call came to. Item-level problems are outcomes, never exceptions. */
export type CallOutcome<T> =
  | { kind: 'ok'; status: number; body: T; attempts: number; replayed: boolean }
  | { kind: 'failed'; status: number; reason: string; attempts: number }
  | { kind: 'throttled'; status: number; retryAfterMs: number; attempts: number }
  | {
      kind: 'auth';
      cause: 'unauthorized' | 'forbidden' | 'token';
      status: number;
      reason: string;
      attempts: number;
    };

/** One page of the worker's item list. */
export interface ItemsPage {
  items: string[];
  nextCursor: string | null;
}

/** The run and item a process call is for. */
export interface ProcessRequest {
  runId: string;
  job: string;
  period: string;
  itemId: string;
}

/** Calls the worker with a token per attempt and the project's retry policy. */
export interface WorkerClient {
  listItems(
    job: string,
    cursor: string | null,
    limit: number,
    options?: CallOptions,
  ): Promise<CallOutcome<ItemsPage>>;
  processItem(request: ProcessRequest, options?: CallOptions): Promise<CallOutcome<unknown>>;
}

/** Per-call context: the caller's W3C trace and where attempt failures are logged. */
export interface CallOptions {
  traceParent?: string | undefined;
  log?: LogSink | undefined;
}

export interface WorkerClientOptions {
  settings: WorkerSettings;
  tokens: TokenProvider;
  log?: LogSink;
}

interface Call {
  method: 'GET' | 'POST';
  url: URL;
  body?: string;
  idempotencyKey?: string;
  traceParent?: string | undefined;
  log?: LogSink | undefined;
}

const TRACE_PARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A W3C `traceparent` for one attempt: the caller's trace id when it has one, a fresh span id. */
export function childTraceParent(parent: string | undefined): string {
  const traceId = TRACE_PARENT.exec(parent ?? '')?.[1] ?? randomBytes(16).toString('hex');
  return `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
}

async function problemDetail(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).slice(0, 4096);
  let detail = text;
  try {
    const body = JSON.parse(text) as { detail?: unknown; title?: unknown };
    if (typeof body.detail === 'string') detail = body.detail;
    else if (typeof body.title === 'string') detail = body.title;
  } catch {
    // Not JSON: keep the text.
  }
  return redact(detail.replace(/\s+/g, ' ').trim()).slice(0, 200);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

function parsePage(body: unknown): ItemsPage | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { items, nextCursor } = body as { items?: unknown; nextCursor?: unknown };
  if (!Array.isArray(items)) return undefined;
  const ids: string[] = [];
  for (const item of items) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id.length === 0) return undefined;
    ids.push(id);
  }
  if (nextCursor !== null && nextCursor !== undefined && typeof nextCursor !== 'string') return undefined;
  return { items: ids, nextCursor: nextCursor ?? null };
}

/**
 * Creates the worker client. Each attempt asks the token provider again, so a token close to expiry
 * is replaced mid-run; the token only ever lives in the request's `Authorization` header.
 */
export function createWorkerClient(options: WorkerClientOptions): WorkerClient {
  const { settings, tokens } = options;

  async function send(call: Call): Promise<CallOutcome<unknown>> {
    let attempts = 0;
    let unauthorizedOnce = false;

    const attempt = async (): Promise<{ status: number; body: unknown; replayed: boolean }> => {
      attempts += 1;
      let token: string;
      try {
        token = await tokens.getToken();
      } catch (error) {
        throw new WorkerAttemptError('token', 0, describe(error), undefined, { cause: error });
      }

      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        traceparent: childTraceParent(call.traceParent),
      };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;

      let response: Response;
      let text: string | undefined;
      try {
        response = await fetch(call.url, {
          method: call.method,
          headers,
          body: call.body,
          signal: AbortSignal.timeout(settings.requestTimeoutMs),
        });
        if (response.ok) text = await response.text();
      } catch (error) {
        throw new WorkerAttemptError(
          'network',
          0,
          `could not reach the worker: ${describe(error)}`,
          undefined,
          {
            cause: error,
          },
        );
      }

      if (text !== undefined) {
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : null;
        } catch (error) {
          throw new AbortError(
            new WorkerAttemptError('permanent', response.status, 'worker answered invalid JSON', undefined, {
              cause: error,
            }),
          );
        }
        return {
          status: response.status,
          body,
          replayed: response.headers.get('idempotent-replayed') === 'true',
        };
      }

      const failure = classifyResponse(
        response.status,
        response.headers.get('retry-after'),
        await problemDetail(response),
        Date.now(),
      );
      if (failure.kind === 'unauthorized' && !unauthorizedOnce) {
        unauthorizedOnce = true;
        throw failure;
      }
      if (failure.kind === 'unauthorized' || failure.kind === 'forbidden' || failure.kind === 'permanent') {
        throw new AbortError(failure);
      }
      if (failure.kind === 'throttled' && (failure.retryAfterMs ?? 0) > settings.retryAfterInlineMaxMs) {
        throw new AbortError(failure);
      }
      throw failure;
    };

    try {
      const result = await pRetry(attempt, {
        ...backoffOptions(settings),
        onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
          const failure = error instanceof WorkerAttemptError ? error : undefined;
          const log = call.log ?? options.log;
          if (log) {
            logEvent(log, 'warn', 'worker.attempt-failed', {
              method: call.method,
              path: call.url.pathname,
              attempt: attempts,
              kind: failure?.kind ?? 'error',
              status: failure?.status ?? 0,
              retriesLeft,
              message: error.message,
            });
          }
          const retryAfterMs = failure?.retryAfterMs;
          if (retriesLeft > 0 && retryAfterMs !== undefined && retryAfterMs > retryDelay) {
            await delay(retryAfterMs - retryDelay);
          }
        },
      });
      return { kind: 'ok', attempts, ...result };
    } catch (error) {
      return outcomeOf(error, attempts, call);
    }
  }

  function outcomeOf(error: unknown, attempts: number, call: Call): CallOutcome<never> {
    if (!(error instanceof WorkerAttemptError)) throw error;
    switch (error.kind) {
      case 'unauthorized':
        return { kind: 'auth', cause: 'unauthorized', status: error.status, reason: error.message, attempts };
      case 'forbidden':
        return { kind: 'auth', cause: 'forbidden', status: error.status, reason: error.message, attempts };
      case 'token':
        return { kind: 'auth', cause: 'token', status: 0, reason: error.message, attempts };
      case 'throttled':
        return {
          kind: 'throttled',
          status: error.status,
          retryAfterMs: error.retryAfterMs ?? settings.backoffMaxMs,
          attempts,
        };
      case 'network':
        throw new WorkerUnavailableError(
          `${call.method} ${call.url.pathname} failed after ${attempts} attempts: ${error.message}`,
          {
            cause: error,
          },
        );
      case 'permanent':
        return { kind: 'failed', status: error.status, reason: error.message, attempts };
      case 'transient':
        // The worker (or its front end) is failing for now, e.g. a 502 while its host restarts: once the
        // inline retries are spent, wait on a durable timer like a long Retry-After instead of failing
        // the item; the chunk bounds those waits (RUN_THROTTLE_MAX_WAITS) and then fails it.
        return { kind: 'throttled', status: error.status, retryAfterMs: settings.backoffMaxMs, attempts };
    }
  }

  const jobPath = (job: string) => `api/jobs/${encodeURIComponent(job)}/items`;

  return {
    async listItems(job, cursor, limit, callOptions = {}) {
      const url = new URL(
        jobPath(job),
        settings.baseUrl.href.endsWith('/') ? settings.baseUrl : `${settings.baseUrl.href}/`,
      );
      url.searchParams.set('limit', String(limit));
      if (cursor) url.searchParams.set('cursor', cursor);
      const outcome = await send({ method: 'GET', url, ...callOptions });
      if (outcome.kind !== 'ok') return outcome;
      const page = parsePage(outcome.body);
      if (!page)
        return {
          kind: 'failed',
          status: outcome.status,
          reason: 'worker answered an item page of the wrong shape',
          attempts: outcome.attempts,
        };
      return { ...outcome, body: page };
    },

    async processItem(request, callOptions = {}) {
      const base = settings.baseUrl.href.endsWith('/') ? settings.baseUrl : `${settings.baseUrl.href}/`;
      const url = new URL(`${jobPath(request.job)}/${encodeURIComponent(request.itemId)}/process`, base);
      return send({
        method: 'POST',
        url,
        body: JSON.stringify({ runId: request.runId, period: request.period }),
        idempotencyKey: `${request.runId}:${request.itemId}`,
        ...callOptions,
      });
    },
  };
}
