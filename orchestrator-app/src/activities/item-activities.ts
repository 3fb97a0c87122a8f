import type { InvocationContext } from '@azure/functions';

import { logEvent } from '../log.js';
import type {
  ItemOutcome,
  ListItemsPageInput,
  ListItemsPageOutput,
  ProcessItemInput,
  RecordFailuresInput,
  RecordFailuresOutput,
} from '../orchestrations/run-model.js';
import { failureStore, workerClient } from '../services.js';
import { workerSettings } from '../settings.js';

/** `listItemsPage`: one page of the job's item list, as an outcome. */
export async function listItemsPage(
  input: ListItemsPageInput,
  context: InvocationContext,
): Promise<ListItemsPageOutput> {
  const outcome = await workerClient().listItems(input.job, input.cursor, workerSettings().pageSize, {
    traceParent: context.traceContext?.traceParent ?? undefined,
    log: context,
  });
  if (outcome.kind === 'ok') {
    logEvent(context, 'info', 'items.listed', {
      job: input.job,
      count: outcome.body.items.length,
      more: outcome.body.nextCursor !== null,
    });
    return {
      outcome: 'page',
      items: outcome.body.items,
      nextCursor: outcome.body.nextCursor,
      attempts: outcome.attempts,
    };
  }
  logEvent(context, 'warn', 'items.list-failed', {
    job: input.job,
    kind: outcome.kind,
    status: outcome.status,
  });
  if (outcome.kind === 'failed')
    return { outcome: 'failed', status: outcome.status, reason: outcome.reason, attempts: outcome.attempts };
  if (outcome.kind === 'throttled') {
    return {
      outcome: 'throttled',
      status: outcome.status,
      retryAfterMs: outcome.retryAfterMs,
      attempts: outcome.attempts,
    };
  }
  return {
    outcome: 'auth',
    cause: outcome.cause,
    status: outcome.status,
    reason: outcome.reason,
    attempts: outcome.attempts,
  };
}

/**
 * `processItem`: one worker call with a token per attempt. Returns the item's outcome; throws only
 * when the worker cannot be reached at all, so durable retries cover infrastructure failures.
 */
export async function processItem(input: ProcessItemInput, context: InvocationContext): Promise<ItemOutcome> {
  const outcome = await workerClient().processItem(input, {
    traceParent: context.traceContext?.traceParent ?? undefined,
    log: context,
  });
  const { itemId } = input;
  switch (outcome.kind) {
    case 'ok':
      return { itemId, outcome: 'succeeded', attempts: outcome.attempts, replayed: outcome.replayed };
    case 'failed':
      logEvent(context, 'warn', 'item.failed', {
        runId: input.runId,
        itemId,
        status: outcome.status,
        reason: outcome.reason,
      });
      return {
        itemId,
        outcome: 'failed',
        status: outcome.status,
        reason: outcome.reason,
        attempts: outcome.attempts,
      };
    case 'throttled':
      logEvent(context, 'info', 'item.throttled-long', {
        runId: input.runId,
        itemId,
        retryAfterMs: outcome.retryAfterMs,
      });
      return {
        itemId,
        outcome: 'throttled',
        status: outcome.status,
        retryAfterMs: outcome.retryAfterMs,
        attempts: outcome.attempts,
      };
    case 'auth':
      logEvent(context, 'error', 'item.auth-refused', {
        runId: input.runId,
        itemId,
        cause: outcome.cause,
        status: outcome.status,
      });
      return {
        itemId,
        outcome: 'auth',
        cause: outcome.cause,
        status: outcome.status,
        reason: outcome.reason,
        attempts: outcome.attempts,
      };
  }
}

/** `recordFailures`: writes one chunk's failures to blob storage. */
export async function recordFailures(
  input: RecordFailuresInput,
  context: InvocationContext,
): Promise<RecordFailuresOutput> {
  const location = await failureStore().write(input.runId, input.chunk, input.failures);
  logEvent(context, 'info', 'failures.recorded', {
    runId: input.runId,
    chunk: input.chunk,
    count: input.failures.length,
  });
  return { location };
}
