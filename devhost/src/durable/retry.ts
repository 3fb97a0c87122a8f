// Host-side retry policy of callActivityWithRetry / callSubOrchestratorWithRetry, computed the way
// DurableTask.Core's retry interceptor does: delay = first * coefficient^(attempt-1), capped at the
// max interval, and no further attempt once the retry timeout (from the first attempt) has passed.
import type { FailureDetails, RetryContext, RetryOptions } from './types.js';

/** Delay before the attempt after `failedAttempt` (1-based). */
export function retryDelay(options: RetryOptions, failedAttempt: number): number {
  const coefficient = options.backoffCoefficient ?? 1;
  const delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failedAttempt - 1);
  const cap = options.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 && delay > cap ? cap : delay;
}

export interface RetryDecision {
  /** When the retry timer fires. */
  fireAt: number;
  /** Context the timer carries to schedule the next attempt. */
  next: RetryContext;
}

/**
 * Decides what follows a failed attempt. The engine waits for one retry timer after every failure,
 * the last one included, and schedules a next attempt while attempts remain. When the policy is spent
 * early (retry timeout, a non-retriable error) the timer fires at once and the remaining attempts fail
 * without running, carrying the last failure.
 */
export function decideRetry(context: RetryContext, failure: FailureDetails, now: number): RetryDecision {
  const { options, attempt } = context;
  const timeout = options.retryTimeoutInMilliseconds;
  const expired = timeout !== undefined && timeout > 0 && now >= context.firstAttemptAt + timeout;
  const exhausted = context.exhausted === true || expired || failure.IsNonRetriable === true;
  const next: RetryContext = { ...context, attempt: attempt + 1 };
  if (exhausted) {
    next.exhausted = true;
    next.lastFailure = failure;
  }

  const immediate = exhausted || attempt >= options.maxNumberOfAttempts;
  return { fireAt: immediate ? now : now + retryDelay(options, attempt), next };
}
