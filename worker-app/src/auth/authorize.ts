import type { HttpRequest, InvocationContext } from '@azure/functions';

import { HttpProblem } from '../http/problem.js';
import { logEvent } from '../log-events.js';
import type { WorkerSettings } from '../settings.js';
import { type ClientPrincipal, PrincipalError, parseClientPrincipal } from './client-principal.js';

let warnedUnconfigured = false;

/**
 * Lets a request through only when Easy Auth vouched for a caller that holds the required app role
 * and whose application id is on the allow-list; otherwise throws a 401 or 403 {@link HttpProblem}
 * after logging `request.unauthorized` or `request.forbidden`. An empty allow-list admits nobody.
 */
export function authorize(
  request: HttpRequest,
  context: InvocationContext,
  settings: WorkerSettings,
  ids: { itemId?: string } = {},
): ClientPrincipal {
  let principal: ClientPrincipal;
  try {
    principal = parseClientPrincipal(
      request.headers.get('x-ms-client-principal'),
      request.headers.get('x-ms-client-principal-id'),
    );
  } catch (error) {
    if (!(error instanceof PrincipalError)) throw error;
    logEvent(context, 'warn', 'request.unauthorized', { reason: error.reason, itemId: ids.itemId });
    throw new HttpProblem(
      {
        status: 401,
        slug: 'unauthenticated',
        title: 'Authentication required',
        detail: 'The request carries no valid client principal; call through Easy Auth with a bearer token.',
      },
      { cause: error },
    );
  }

  const callerAppId = principal.callerAppId;
  if (!principal.roles.has(settings.requiredRole)) {
    logEvent(context, 'warn', 'request.forbidden', {
      reason: 'missing-role',
      callerAppId,
      itemId: ids.itemId,
    });
    throw new HttpProblem({
      status: 403,
      slug: 'forbidden',
      title: 'Missing app role',
      detail: `The caller does not hold the app role ${settings.requiredRole}.`,
      extensions: { requiredRole: settings.requiredRole },
    });
  }

  if (settings.allowedCallers.size === 0 && !warnedUnconfigured) {
    warnedUnconfigured = true;
    logEvent(context, 'warn', 'callers.unconfigured', {
      setting: 'WORKER_ALLOWED_CALLERS',
      effect: 'every caller is refused until the setting lists caller application ids',
    });
  }
  if (callerAppId === undefined || !settings.allowedCallers.has(callerAppId)) {
    logEvent(context, 'warn', 'request.forbidden', {
      reason: 'caller-not-allowed',
      callerAppId,
      itemId: ids.itemId,
    });
    throw new HttpProblem({
      status: 403,
      slug: 'caller-not-allowed',
      title: 'Caller not allowed',
      detail: 'The calling application is not on the worker allow-list (WORKER_ALLOWED_CALLERS).',
    });
  }

  return principal;
}
