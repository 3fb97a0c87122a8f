import type { IncomingMessage, ServerResponse } from 'node:http';

import { readText, secretEquals } from '../http-util.js';
import type { Logger } from '../log.js';
import type { IdentityStats } from './faults.js';
import { MAX_BODY_BYTES, sendJson } from './http-util.js';
import type { KeyStore } from './key-store.js';
import { type ClientRegistration, type LocalRegistrations, resolveResource } from './registrations.js';
import type { IdentitySecrets } from './secrets.js';
import type { TokenIssuer } from './token-issuer.js';

export interface OidcContext {
  origin: string;
  registrations: LocalRegistrations;
  secrets: IdentitySecrets;
  keys: KeyStore;
  issuer: TokenIssuer;
  stats: IdentityStats;
  logger: Logger;
}

/** OIDC metadata of the local tenant, shaped like Entra's v2 document. */
export function discoveryDocument(origin: string, tenantId: string): Record<string, unknown> {
  const base = `${origin}/${tenantId}`;
  return {
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'azp', 'oid', 'tid', 'roles', 'ver'],
    request_uri_parameter_supported: false,
  };
}

/** Serves discovery, JWKS and the token endpoint under `/{tenant}/...`; false when not one of them. */
export async function handleOidc(
  ctx: OidcContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const match =
    /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token)$/.exec(
      path,
    );
  if (!match) return false;
  const [, tenant = '', endpoint] = match;
  if (tenant.toLowerCase() !== ctx.registrations.tenantId.toLowerCase()) {
    sendJson(
      res,
      400,
      oauthError('invalid_tenant', `Tenant '${tenant}' not found: use ${ctx.registrations.tenantId}.`),
    );
    return true;
  }

  if (endpoint === 'oauth2/v2.0/token') {
    await handleToken(ctx, req, res);
    return true;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, oauthError('invalid_request', `${req.method} is not supported here.`), {
      allow: 'GET',
    });
    return true;
  }
  const cache = { 'cache-control': 'max-age=300' };
  if (endpoint === 'discovery/v2.0/keys') sendJson(res, 200, ctx.keys.jwks(), cache);
  else sendJson(res, 200, discoveryDocument(ctx.origin, ctx.registrations.tenantId), cache);
  return true;
}

async function handleToken(ctx: OidcContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.stats.tokenRequests += 1;
  if (req.method !== 'POST') {
    sendJson(res, 405, oauthError('invalid_request', 'The token endpoint takes POST only.'), {
      allow: 'POST',
    });
    return;
  }
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    sendJson(res, 400, oauthError('invalid_request', 'Send application/x-www-form-urlencoded.'));
    return;
  }
  const form = new URLSearchParams(await readText(req, MAX_BODY_BYTES));

  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    sendJson(res, 400, oauthError('unsupported_grant_type', `grant_type '${grant ?? ''}' is not supported.`));
    return;
  }
  const client = authenticateClient(ctx, req, form);
  if (!client) {
    ctx.logger.warn('identity.client_rejected', { clientId: form.get('client_id') ?? undefined });
    sendJson(res, 401, oauthError('invalid_client', 'Unknown client or wrong client secret.'));
    return;
  }
  const scope = form.get('scope') ?? '';
  const resource = scope.endsWith('/.default') ? resolveResource(ctx.registrations, scope) : undefined;
  if (!resource) {
    sendJson(
      res,
      400,
      oauthError('invalid_scope', `Scope '${scope}' names no local API; use '<api>/.default'.`),
    );
    return;
  }

  const token = await ctx.issuer.issue({ client, resource, managedIdentity: false });
  ctx.stats.tokenEndpointTokens += 1;
  ctx.logger.info('identity.token_issued', {
    grant: 'client_credentials',
    clientId: client.clientId,
    audience: ctx.registrations[resource].clientId,
    kid: token.kid,
    roles: token.roles,
  });
  sendJson(res, 200, {
    token_type: 'Bearer',
    expires_in: token.expiresIn,
    ext_expires_in: token.expiresIn,
    access_token: token.accessToken,
  });
}

function authenticateClient(
  ctx: OidcContext,
  req: IncomingMessage,
  form: URLSearchParams,
): ClientRegistration | undefined {
  let clientId = form.get('client_id') ?? '';
  let secret = form.get('client_secret') ?? '';
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id = '', ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    clientId = decodeURIComponent(id);
    secret = decodeURIComponent(rest.join(':'));
  }
  const expected = ctx.secrets.clientSecrets[clientId];
  if (expected === undefined || !secretEquals(secret, expected)) return undefined;
  const { operator, orchestratorIdentity } = ctx.registrations;
  return [operator, orchestratorIdentity].find((client) => client.clientId === clientId);
}

export function oauthError(error: string, description: string): Record<string, unknown> {
  return { error, error_description: description, timestamp: new Date().toISOString() };
}
