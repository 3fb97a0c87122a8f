import { setTimeout as delay } from 'node:timers/promises';

import type { InvocationContext } from '@azure/functions';

import { HttpProblem } from '../http/problem.js';
import { logEvent } from '../log-events.js';
import { type IdempotencyLedger, type IdempotencyRecord, sha256 } from '../store/idempotency-ledger.js';
import type { ProcessRequest, ProcessResponse } from './job.js';

/** How long a claim protects a call in progress before another call may take the key over. */
export const CLAIM_LEASE_MS = 30_000;
/** How long a second call with a key in progress waits for the first one's answer. */
export const IN_PROGRESS_WAIT_MS = 2_000;
const POLL_MS = 50;

/** What makes two calls "the same request" for one Idempotency-Key. */
export function requestFingerprint(request: ProcessRequest): string {
  return sha256(JSON.stringify([request.job, request.itemId, request.period, request.runId]));
}

export interface RunOnceSteps {
  /** Checks that must pass before anything is written (e.g. the item exists). */
  precheck(): Promise<void>;
  /** The effect; runs at most once per key while its claim is held. */
  effect(): Promise<ProcessResponse>;
}

/**
 * Runs `steps.effect` at most once per Idempotency-Key. A repeat with the same request gets the
 * stored answer marked `replayed`; a repeat with a different request gets 422. A concurrent repeat
 * waits up to {@link IN_PROGRESS_WAIT_MS} for the first call's answer, then gets 429 with
 * `Retry-After: 1`. A claim whose owner died is taken over after {@link CLAIM_LEASE_MS}.
 */
export async function runOnce(
  ledger: IdempotencyLedger,
  request: ProcessRequest,
  steps: RunOnceSteps,
  context: InvocationContext,
): Promise<ProcessResponse> {
  const key = request.idempotencyKey;
  const fingerprint = requestFingerprint(request);
  const waitUntil = Date.now() + IN_PROGRESS_WAIT_MS;

  for (;;) {
    const record = await ledger.get(key);
    if (record === undefined) {
      await steps.precheck();
      const etag = await ledger.claim(key, fingerprint, new Date(Date.now() + CLAIM_LEASE_MS));
      if (etag !== undefined) return await runClaimed(ledger, key, fingerprint, etag, steps, context);
      continue;
    }

    if (record.fingerprint !== fingerprint) {
      throw new HttpProblem({
        status: 422,
        slug: 'idempotency-key-reused',
        title: 'Idempotency-Key reused',
        detail: 'This Idempotency-Key was first used with a different job, item, period or runId.',
      });
    }
    if (record.state === 'done') return replay(record);

    if (Date.parse(record.leaseUntil) <= Date.now()) {
      const etag = await ledger.takeOver(key, record, new Date(Date.now() + CLAIM_LEASE_MS));
      if (etag !== undefined) return await runClaimed(ledger, key, fingerprint, etag, steps, context);
      continue;
    }
    if (Date.now() >= waitUntil) {
      logEvent(context, 'warn', 'item.in-progress', {
        runId: request.runId,
        itemId: request.itemId,
        callerAppId: request.callerAppId,
      });
      throw new HttpProblem({
        status: 429,
        slug: 'idempotency-key-in-progress',
        title: 'Request in progress',
        detail: 'A call with this Idempotency-Key is still running; retry after the given seconds.',
        retryAfterSeconds: 1,
      });
    }
    await delay(POLL_MS);
  }
}

async function runClaimed(
  ledger: IdempotencyLedger,
  key: string,
  fingerprint: string,
  etag: string,
  steps: RunOnceSteps,
  context: InvocationContext,
): Promise<ProcessResponse> {
  let response: ProcessResponse;
  try {
    response = await steps.effect();
  } catch (error) {
    await ledger.release(key, etag).catch(() => undefined);
    throw error;
  }

  const completed = await ledger.complete(key, fingerprint, etag, JSON.stringify(response));
  if (!completed) {
    logEvent(context, 'warn', 'item.in-progress', {
      runId: response.runId,
      itemId: response.itemId,
      reason: 'claim-taken-over',
    });
  }
  return response;
}

function replay(record: IdempotencyRecord): ProcessResponse {
  const stored = JSON.parse(record.response ?? '{}') as ProcessResponse;
  return { ...stored, replayed: true };
}
