/** A setting is missing or has a value the app cannot use; the message names the setting. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(
    readonly setting: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${message}`, options);
  }
}

/** The managed identity did not produce a token in time or at all. Retryable. */
export class TokenAcquisitionError extends Error {
  override readonly name = 'TokenAcquisitionError';
}

/** The worker could not be reached (network error or timeout) after every inline retry. */
export class WorkerUnavailableError extends Error {
  override readonly name = 'WorkerUnavailableError';
}

/**
 * One failed attempt of a worker call, carrying what the retry policy needs. Never holds a token.
 * `kind` says how the policy treats it.
 */
export class WorkerAttemptError extends Error {
  override readonly name = 'WorkerAttemptError';
  constructor(
    readonly kind:
      'transient' | 'unauthorized' | 'forbidden' | 'permanent' | 'throttled' | 'network' | 'token',
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The failure list of a run could not be written or read. */
export class FailureStoreError extends Error {
  override readonly name = 'FailureStoreError';
}
