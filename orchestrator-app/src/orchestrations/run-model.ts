// Shapes that cross the orchestration boundary (inputs, outputs, custom status) and the pure rules
// that fold chunk results into a run's progress. Nothing here may hold a token.

/** Input of the `processItem` activity. */
export interface ProcessItemInput {
  runId: string;
  job: string;
  period: string;
  itemId: string;
}

/** What one item came to. Item-level problems are outcomes; exceptions mean infrastructure trouble. */
export type ItemOutcome =
  | { itemId: string; outcome: 'succeeded'; attempts: number; replayed: boolean }
  | { itemId: string; outcome: 'failed'; status: number; reason: string; attempts: number }
  | { itemId: string; outcome: 'throttled'; status: number; retryAfterMs: number; attempts: number }
  | { itemId: string; outcome: 'auth'; cause: AuthCause; status: number; reason: string; attempts: number };

export type AuthCause = 'unauthorized' | 'forbidden' | 'token';

/** Input of the `listItemsPage` activity; the page size comes from `WORKER_PAGE_SIZE`. */
export interface ListItemsPageInput {
  job: string;
  cursor: string | null;
}

/** Output of the `listItemsPage` activity. */
export type ListItemsPageOutput =
  | { outcome: 'page'; items: string[]; nextCursor: string | null; attempts: number }
  | { outcome: 'failed'; status: number; reason: string; attempts: number }
  | { outcome: 'throttled'; status: number; retryAfterMs: number; attempts: number }
  | { outcome: 'auth'; cause: AuthCause; status: number; reason: string; attempts: number };

/** One entry of a run's failure list. `skipped` items were never attempted (the circuit was open). */
export interface FailedItem {
  itemId: string;
  outcome: 'failed' | 'skipped';
  /** HTTP status of the last answer; 0 when there was none. */
  status: number;
  reason: string;
}

/** Input of the `recordFailures` activity: one chunk's failures, written as one blob. */
export interface RecordFailuresInput {
  runId: string;
  chunk: number;
  failures: FailedItem[];
}

/** Output of the `recordFailures` activity: where the run's failure list lives (`container/prefix`). */
export interface RecordFailuresOutput {
  location: string;
}

/** Why the auth circuit opened. */
export interface AuthTrip {
  cause: AuthCause;
  status: number;
  itemId: string | null;
  detail: string;
}

/** Input of `chunkOrchestrator`. */
export interface ChunkInput {
  runId: string;
  job: string;
  period: string;
  chunk: number;
  itemIds: string[];
  maxParallel: number;
  throttleMaxWaits: number;
}

/** Output of `chunkOrchestrator`. `failures` holds every failed or skipped item of the chunk. */
export interface ChunkResult {
  chunk: number;
  succeeded: number;
  failures: FailedItem[];
  retries: number;
  throttledWaits: number;
  /** The most item calls that were in flight at once. */
  peakInFlight: number;
  trip: AuthTrip | null;
}

/** How a run was started. */
export type RunTrigger = 'api' | 'schedule' | 'retry';

/** Input of `runOrchestrator`; a continued-as-new generation carries `cursor` and `progress`. */
export interface RunInput {
  runId: string;
  job: string;
  period: string;
  trigger: RunTrigger;
  maxParallel: number;
  chunkSize: number;
  chunksInFlight: number;
  pagesPerGeneration: number;
  throttleMaxWaits: number;
  /** Explicit items (retry-failed or a POST with itemIds) instead of the worker's list. */
  itemIds?: string[];
  /** Id of the run whose failures this run retries. */
  retryOf?: string;
  /** A digest of the start request, to refuse a reused Idempotency-Key with a different body. */
  requestHash?: string;
  cursor?: string | null;
  progress?: RunProgress;
}

/** The running totals of a run; carried across continue-as-new. */
export interface RunProgress {
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  retries: number;
  throttledWaits: number;
  pages: number;
  chunks: number;
  generation: number;
  /** At most `SAMPLE_LIMIT` failures, the first ones met. */
  sample: FailedItem[];
  failureList: string | null;
  startedAt: string;
}

/** The custom status the run publishes after every chunk, and its output when it completes. */
export interface RunStatus extends RunProgress {
  phase: 'listing' | 'processing' | 'completed' | 'failed';
  /** True once the last page is listed, so `total` is final; until then more items may come. */
  listed: boolean;
  finishedAt: string | null;
  /** Set when the run ends early; names the cause. */
  reason: string | null;
}

/** Most failures kept in state and shown in the run document. */
export const SAMPLE_LIMIT = 50;
/** Longest reason kept in state, so the custom status stays far below the 16 KB limit. */
export const REASON_LIMIT = 120;
/** Size of a page when a run's items are given explicitly. */
export const EXPLICIT_PAGE_SIZE = 1000;

/** Starts the progress of a new run. */
export function emptyProgress(startedAt: string): RunProgress {
  return {
    total: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    retries: 0,
    throttledWaits: 0,
    pages: 0,
    chunks: 0,
    generation: 0,
    sample: [],
    failureList: null,
    startedAt,
  };
}

/** Shortens a reason for state. */
export function shortReason(reason: string): string {
  return reason.length <= REASON_LIMIT ? reason : `${reason.slice(0, REASON_LIMIT - 1)}…`;
}

/** Folds one chunk's result into the run's progress (returns a new object). */
export function addChunk(
  progress: RunProgress,
  result: ChunkResult,
  failureList: string | null,
): RunProgress {
  const failed = result.failures.filter((f) => f.outcome === 'failed').length;
  const room = SAMPLE_LIMIT - progress.sample.length;
  const sample = room > 0 ? [...progress.sample, ...result.failures.slice(0, room)] : progress.sample;
  return {
    ...progress,
    succeeded: progress.succeeded + result.succeeded,
    failed: progress.failed + failed,
    skipped: progress.skipped + result.failures.length - failed,
    retries: progress.retries + result.retries,
    throttledWaits: progress.throttledWaits + result.throttledWaits,
    chunks: progress.chunks + 1,
    sample,
    failureList: failureList ?? progress.failureList,
  };
}

/** Percent of the known items that are done (succeeded, failed or skipped). */
export function percentDone(progress: RunProgress, finished: boolean): number {
  if (finished) return 100;
  if (progress.total === 0) return 0;
  const done = progress.succeeded + progress.failed + progress.skipped;
  return Math.min(99, Math.floor((done * 100) / progress.total));
}

/** The sentence a run that tripped the auth circuit ends with. */
export function tripReason(trip: AuthTrip): string {
  const detail = trip.detail ? ` Worker said: ${trip.detail}` : '';
  switch (trip.cause) {
    case 'forbidden':
      return (
        "The worker refused the orchestrator's identity (403): the orchestrator's identity lacks the " +
        'Worker.Invoke role on the worker, or is not an allowed caller. Assign the role, then retry the run.' +
        detail
      );
    case 'unauthorized':
      return (
        "The worker rejected the orchestrator's managed-identity token twice (401): check WORKER_SCOPE " +
        "against the worker's Easy Auth allowed audiences and issuer." +
        detail
      );
    case 'token':
      return `The orchestrator could not get a managed-identity token for WORKER_SCOPE: ${trip.detail}`;
  }
}
