import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import { logEvent } from '../log.js';
import {
  addChunk,
  emptyProgress,
  EXPLICIT_PAGE_SIZE,
  shortReason,
  tripReason,
  type AuthTrip,
  type ChunkInput,
  type ChunkResult,
  type ListItemsPageInput,
  type ListItemsPageOutput,
  type RecordFailuresInput,
  type RecordFailuresOutput,
  type RunInput,
  type RunProgress,
  type RunStatus,
} from './run-model.js';

/** Durable waits a throttled page listing gets before the run gives up. */
const LIST_THROTTLE_WAITS = 10;

/** The error a run ends with when it stops early; its message is the run's reason. */
export class RunStoppedError extends Error {
  override readonly name = 'RunStoppedError';
}

function activityRetry(): df.RetryOptions {
  const options = new df.RetryOptions(5_000, 3);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = 60_000;
  return options;
}

function* listPage(
  context: OrchestrationContext,
  input: RunInput,
  cursor: string | null,
): Generator<Task, ListItemsPageOutput, unknown> {
  for (let waits = 0; ; waits += 1) {
    const request: ListItemsPageInput = { job: input.job, cursor };
    const page = (yield context.df.callActivityWithRetry(
      'listItemsPage',
      activityRetry(),
      request,
    )) as ListItemsPageOutput;
    if (page.outcome !== 'throttled' || waits >= LIST_THROTTLE_WAITS) return page;
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + page.retryAfterMs));
  }
}

/**
 * A run: pages through the job's items (or the explicit `itemIds`), runs `chunkOrchestrator` per chunk of
 * `chunkSize` items, `chunksInFlight` chunks at a time, writes each chunk's failures through
 * `recordFailures`, publishes progress as custom status after every chunk, and continues as new every
 * `pagesPerGeneration` pages carrying cursor and progress. Ends `completed` with the summary as output,
 * or `failed` with a reason when the auth circuit opened or the item list could not be read.
 */
export const runOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<RunInput>();
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  let progress: RunProgress = input.progress ?? emptyProgress(now());
  let cursor = input.cursor ?? null;
  let explicit = input.itemIds;
  let trip: AuthTrip | null = null;
  let failure: string | null = null;
  let listed = false;

  const publish = (phase: RunStatus['phase'], reason: string | null = null): RunStatus => {
    const finished = phase === 'completed' || phase === 'failed';
    const status: RunStatus = { ...progress, phase, listed, finishedAt: finished ? now() : null, reason };
    context.df.setCustomStatus(status);
    return status;
  };
  const log = (event: string, props: Record<string, unknown>): void => {
    if (!context.df.isReplaying) logEvent(context, 'info', event, { runId: input.runId, ...props });
  };

  if (!input.progress) log('run.started', { job: input.job, period: input.period, trigger: input.trigger });
  publish('listing');

  for (let pagesThisGeneration = 0; ;) {
    let items: string[];
    let next: string | null;
    if (explicit) {
      items = explicit.slice(0, EXPLICIT_PAGE_SIZE);
      explicit = explicit.slice(EXPLICIT_PAGE_SIZE);
      next = explicit.length > 0 ? 'explicit' : null;
    } else {
      const page = yield* listPage(context, input, cursor);
      if (page.outcome === 'auth') {
        trip = { cause: page.cause, status: page.status, itemId: null, detail: shortReason(page.reason) };
        break;
      }
      if (page.outcome !== 'page') {
        const why =
          page.outcome === 'failed'
            ? page.reason
            : `still throttled (${page.status}) after ${LIST_THROTTLE_WAITS} waits`;
        failure = `Listing the items of job ${input.job} failed: ${shortReason(why)}`;
        break;
      }
      items = page.items;
      next = page.nextCursor;
    }
    progress = { ...progress, total: progress.total + items.length, pages: progress.pages + 1 };
    listed = next === null;

    for (let start = 0; start < items.length && !trip; start += input.chunkSize * input.chunksInFlight) {
      const wave: ChunkInput[] = [];
      for (let k = 0; k < input.chunksInFlight; k += 1) {
        const ids = items.slice(start + k * input.chunkSize, start + (k + 1) * input.chunkSize);
        if (ids.length === 0) break;
        wave.push({
          runId: input.runId,
          job: input.job,
          period: input.period,
          chunk: progress.chunks + k,
          itemIds: ids,
          maxParallel: input.maxParallel,
          throttleMaxWaits: input.throttleMaxWaits,
        });
      }
      const tasks = wave.map((chunk) =>
        context.df.callSubOrchestrator('chunkOrchestrator', chunk, `${input.runId}:chunk:${chunk.chunk}`),
      );
      const results = (yield context.df.Task.all(tasks)) as ChunkResult[];

      for (const result of results) {
        let location: string | null = null;
        if (result.failures.length > 0) {
          const record: RecordFailuresInput = {
            runId: input.runId,
            chunk: result.chunk,
            failures: result.failures,
          };
          const written = (yield context.df.callActivityWithRetry(
            'recordFailures',
            activityRetry(),
            record,
          )) as RecordFailuresOutput;
          location = written.location;
        }
        progress = addChunk(progress, result, location);
        trip ??= result.trip;
      }
      publish('processing');
      log('run.progress', {
        chunks: progress.chunks,
        succeeded: progress.succeeded,
        failed: progress.failed,
      });
    }
    if (trip) break;

    pagesThisGeneration += 1;
    if (next === null) break;
    cursor = explicit ? null : next;
    if (pagesThisGeneration >= input.pagesPerGeneration) {
      const carried: RunInput = {
        ...input,
        cursor,
        itemIds: explicit,
        progress: { ...progress, generation: progress.generation + 1 },
      };
      log('run.continued-as-new', { generation: progress.generation + 1, pages: progress.pages });
      context.df.continueAsNew(carried);
      return undefined;
    }
  }

  const reason = trip ? tripReason(trip) : failure;
  if (reason) {
    publish('failed', reason);
    log('run.failed', { reason, succeeded: progress.succeeded, failed: progress.failed });
    throw new RunStoppedError(reason);
  }
  const summary = publish('completed');
  log('run.completed', { total: progress.total, succeeded: progress.succeeded, failed: progress.failed });
  return summary;
};
