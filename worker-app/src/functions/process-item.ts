import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { authorize } from '../auth/authorize.js';
import { HttpProblem, jsonResponse } from '../http/problem.js';
import { readIdempotencyKey, readJsonObject } from '../http/request-input.js';
import { answer } from '../http/respond.js';
import type { ProcessRequest } from '../jobs/job.js';
import { PERIOD } from '../jobs/statements/statement.js';
import { logEvent } from '../log-events.js';
import { type WorkerRuntime, getRuntime } from '../runtime.js';
import { findJob } from './job-lookup.js';

const RUN_ID = /^[\x21-\x7e]{1,200}$/;
/** Seconds a shed caller is asked to wait. */
export const SHED_RETRY_AFTER_SECONDS = 1;

function invalid(field: string, detail: string): HttpProblem {
  return new HttpProblem({
    status: 422,
    slug: 'invalid-body',
    title: `Invalid ${field}`,
    detail,
    extensions: { field },
  });
}

function readBodyFields(body: Record<string, unknown>): { runId: string; period: string } {
  const { runId, period } = body;
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw invalid('runId', 'runId must be a string of 1–200 printable characters without spaces.');
  }
  if (typeof period !== 'string' || !PERIOD.test(period)) {
    throw invalid(
      'period',
      `period must be a month like "2026-11", got ${JSON.stringify(period)?.slice(0, 40)}.`,
    );
  }
  return { runId, period };
}

/**
 * `POST /api/jobs/{job}/items/{itemId}/process` with `Idempotency-Key` and `{runId, period}`:
 * processes one item at most once per key. Beyond `WORKER_MAX_CONCURRENT` calls in flight the
 * call is shed with 429 before its body is read.
 */
export async function processItem(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const ids: Record<string, string | undefined> = { job: request.params.job, itemId: request.params.itemId };
  return await answer(context, ids, async () => {
    const runtime = getRuntime();
    const principal = authorize(request, context, runtime.settings, { itemId: ids.itemId });
    ids.callerAppId = principal.callerAppId;

    const outcome = await runtime.shedder.run(async () => {
      try {
        return await handle(request, context, runtime, ids, principal.callerAppId);
      } catch (error) {
        if (error instanceof HttpProblem && [400, 404, 422].includes(error.problem.status)) {
          logEvent(context, 'warn', 'item.rejected', {
            ...ids,
            status: error.problem.status,
            problem: error.problem.slug,
          });
        }
        throw error;
      }
    });
    if (!outcome.shed) return outcome.value;

    logEvent(context, 'warn', 'load.shed', { ...ids, limit: runtime.shedder.limit });
    throw new HttpProblem({
      status: 429,
      slug: 'overloaded',
      title: 'Too many requests in flight',
      detail: `This instance already runs ${runtime.shedder.limit} process calls; retry after the given seconds.`,
      retryAfterSeconds: SHED_RETRY_AFTER_SECONDS,
    });
  });
}

async function handle(
  request: HttpRequest,
  context: InvocationContext,
  runtime: WorkerRuntime,
  ids: Record<string, string | undefined>,
  callerAppId: string | undefined,
): Promise<HttpResponseInit> {
  const job = findJob(runtime, request.params.job);
  const itemId = request.params.itemId ?? '';
  if (!job.isItemId(itemId)) {
    throw new HttpProblem({
      status: 404,
      slug: 'unknown-item',
      title: 'Unknown item',
      detail: `The ${job.name} job has no item ${JSON.stringify(itemId.slice(0, 80))}.`,
    });
  }
  const idempotencyKey = readIdempotencyKey(request);
  const { runId, period } = readBodyFields(await readJsonObject(request));
  ids.runId = runId;

  const call: ProcessRequest = { job: job.name, itemId, runId, period, idempotencyKey, callerAppId };
  const response = await job.process(call, context);

  logEvent(context, 'info', response.replayed ? 'item.replayed' : 'item.processed', { ...ids });
  return jsonResponse(200, response, response.replayed ? { 'Idempotent-Replayed': 'true' } : {});
}

app.http('processItem', {
  route: 'jobs/{job}/items/{itemId}/process',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: processItem,
});
