import type { InvocationContext } from '@azure/functions';

/** A validated process call. */
export interface ProcessRequest {
  job: string;
  itemId: string;
  runId: string;
  period: string;
  idempotencyKey: string;
  callerAppId: string | undefined;
}

/** The 200 body of a process call (`replayed` is set per answer, not stored). */
export interface ProcessResponse {
  job: string;
  itemId: string;
  period: string;
  runId: string;
  replayed: boolean;
  processedAt: string;
  result: Record<string, string | number | boolean>;
}

/** One page of a job's item ids, in a stable order. */
export interface ItemPage {
  ids: string[];
  /** True when items after the last id exist. */
  more: boolean;
}

/**
 * A kind of work the worker does. Implementations throw `HttpProblem` for request problems and
 * `StoreUnavailableError` when their store is down; anything else is a bug.
 */
export interface Job {
  readonly name: string;
  /** Whether `id` has the shape of this job's item ids (says nothing about existence). */
  isItemId(id: string): boolean;
  listItems(after: string | undefined, limit: number, context: InvocationContext): Promise<ItemPage>;
  process(request: ProcessRequest, context: InvocationContext): Promise<ProcessResponse>;
}
