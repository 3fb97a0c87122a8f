import type { HttpResponseInit, InvocationContext } from '@azure/functions';

import { type EventProperties, logEvent } from '../log-events.js';
import { SettingsError } from '../settings.js';
import { StoreUnavailableError } from '../store/store-errors.js';
import { HttpProblem, problemResponse } from './problem.js';

/** Seconds a caller is asked to wait after a 503 from an unavailable store. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * Runs a handler body and turns its failures into problem+json: {@link HttpProblem} as given,
 * {@link StoreUnavailableError} as 503 with `Retry-After`, {@link SettingsError} as 500 naming the
 * setting, anything else as a bare 500. `ids` are logged with each failure (no header values).
 */
export async function answer(
  context: InvocationContext,
  ids: EventProperties,
  body: () => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof HttpProblem) return problemResponse(error.problem);

    if (error instanceof StoreUnavailableError) {
      logEvent(context, 'warn', 'store.unavailable', { ...ids, operation: error.operation });
      return problemResponse({
        status: 503,
        slug: 'store-unavailable',
        title: 'Store unavailable',
        detail: 'Table Storage did not answer; retry after the given seconds.',
        retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
      });
    }

    if (error instanceof SettingsError) {
      logEvent(context, 'error', 'settings.invalid', {
        ...ids,
        setting: error.setting,
        message: error.message,
      });
      return problemResponse({
        status: 500,
        slug: 'misconfigured',
        title: 'Worker misconfigured',
        detail: `The worker setting ${error.setting} is missing or invalid; see the worker log.`,
        extensions: { setting: error.setting },
      });
    }

    logEvent(context, 'error', 'request.failed', {
      ...ids,
      error: error instanceof Error ? error.name : typeof error,
      message: error instanceof Error ? error.message : undefined,
    });
    return problemResponse({
      status: 500,
      slug: 'internal-error',
      title: 'Internal error',
      detail: 'The worker failed unexpectedly; see the worker log for the invocation id.',
      extensions: { invocationId: context.invocationId },
    });
  }
}
