import { RestError } from '@azure/data-tables';

/** Table Storage could not be reached or failed on its side; the caller should retry later. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /** What the worker was doing, e.g. `read idempotency record`. */
  readonly operation: string;

  constructor(operation: string, options?: ErrorOptions) {
    super(`Table Storage unavailable during ${operation}.`, options);
    this.operation = operation;
  }
}

/** How long one storage call (with the SDK's own retries) may take before the store counts as down. */
export const STORE_CALL_TIMEOUT_MS = 10_000;

/** True for failures that say nothing about the request: network errors, timeouts, 408, 429 and 5xx. */
export function isTransientStoreError(error: unknown): boolean {
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return true;
  if (!(error instanceof RestError)) return false;
  if (error.statusCode === undefined) return true;
  return error.statusCode === 408 || error.statusCode === 429 || error.statusCode >= 500;
}

/** The HTTP status of a storage failure, if it came with one. */
export function storeStatus(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

/**
 * Runs one storage operation under {@link STORE_CALL_TIMEOUT_MS} and turns transient failures into
 * {@link StoreUnavailableError}; other errors (404, 409, 412 ...) pass through for the caller to read.
 */
export async function storeCall<T>(
  operation: string,
  call: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    return await call(AbortSignal.timeout(STORE_CALL_TIMEOUT_MS));
  } catch (error) {
    if (isTransientStoreError(error)) throw new StoreUnavailableError(operation, { cause: error });
    throw error;
  }
}
