import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

import { secretEquals } from '../http-util.js';
import type { Logger } from '../log.js';
import type { IdentityFaults, IdentityStats } from './faults.js';
import { sendJson } from './http-util.js';
import { type LocalRegistrations, resolveResource } from './registrations.js';
import type { TokenIssuer } from './token-issuer.js';

export const MANAGED_IDENTITY_PATH = '/msi/token';
const API_VERSION = '2019-08-01';

export interface ManagedIdentityContext {
  registrations: LocalRegistrations;
  identityHeader: string;
  issuer: TokenIssuer;
  faults: IdentityFaults;
  stats: IdentityStats;
  /** Aborts pending latency delays when the server closes. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * The App Service managed-identity endpoint (`IDENTITY_ENDPOINT`), as `@azure/identity` calls it:
 * `GET ?api-version=2019-08-01&resource=...[&client_id=...]` with `x-identity-header`.
 */
export async function handleManagedIdentity(
  ctx: ManagedIdentityContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  ctx.stats.managedIdentityRequests += 1;
  const { faults } = ctx;
  if (faults.latencyMs > 0) await delay(faults.latencyMs, undefined, { signal: ctx.signal });

  if (faults.errorStatus !== null) {
    const status = faults.errorStatus;
    if (faults.errorCount !== null) {
      faults.errorCount -= 1;
      if (faults.errorCount <= 0) Object.assign(faults, { errorStatus: null, errorCount: null });
    }
    ctx.stats.faultsInjected += 1;
    ctx.logger.info('identity.fault_injected', { status });
    const headers: Record<string, string> =
      faults.retryAfterSeconds === null ? {} : { 'retry-after': String(faults.retryAfterSeconds) };
    sendJson(res, status, { statusCode: status, message: 'Injected fault (devhost test switch).' }, headers);
    return;
  }

  const fail = (status: number, message: string): void => {
    ctx.logger.warn('identity.managed_identity_rejected', { status, reason: message });
    sendJson(res, status, { statusCode: status, message });
  };
  if (req.method !== 'GET') return fail(405, 'Use GET.');
  const header = req.headers['x-identity-header'];
  if (typeof header !== 'string' || !secretEquals(header, ctx.identityHeader)) {
    return fail(401, 'Missing or wrong x-identity-header: use the IDENTITY_HEADER value.');
  }
  if (query.get('api-version') !== API_VERSION) {
    return fail(400, `api-version '${query.get('api-version') ?? ''}' is not supported; use ${API_VERSION}.`);
  }
  const resourceName = query.get('resource') ?? '';
  const resource = resolveResource(ctx.registrations, resourceName);
  if (!resource) return fail(400, `Resource '${resourceName}' names no local API.`);

  const identity = ctx.registrations.orchestratorIdentity;
  const clientId = query.get('client_id');
  const principalId = query.get('principal_id') ?? query.get('object_id');
  const wrongClient = clientId !== null && clientId.toLowerCase() !== identity.clientId.toLowerCase();
  const wrongPrincipal =
    principalId !== null && principalId.toLowerCase() !== identity.objectId.toLowerCase();
  if (wrongClient || wrongPrincipal || query.has('mi_res_id')) {
    return fail(400, `No managed identity matches; this app has only ${identity.clientId}.`);
  }

  const token = await ctx.issuer.issue({
    client: identity,
    resource,
    managedIdentity: true,
    withoutRoles: faults.withoutRoles,
  });
  ctx.stats.managedIdentityTokens += 1;
  ctx.logger.info('identity.token_issued', {
    grant: 'managed_identity',
    clientId: identity.clientId,
    audience: ctx.registrations[resource].clientId,
    kid: token.kid,
    roles: token.roles,
    expiresOn: token.expiresOn,
  });
  sendJson(res, 200, {
    access_token: token.accessToken,
    expires_on: String(token.expiresOn),
    resource: resourceName,
    token_type: 'Bearer',
    client_id: identity.clientId,
  });
}
