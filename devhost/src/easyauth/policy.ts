import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { LocalRegistrations } from '../identity/index.js';

export type ProtectedApp = 'worker' | 'orchestrator';

/** What the proxy enforces, read out of an authsettingsV2 document. */
export interface EasyAuthPolicy {
  enabled: boolean;
  requireAuthentication: boolean;
  unauthenticatedClientAction: 'Return401' | 'Return403' | 'AllowAnonymous' | 'RedirectToLoginPage';
  excludedPaths: string[];
  clientId: string;
  /** Tenant-specific v2 issuer, e.g. `https://login.microsoftonline.com/{tenant}/v2.0`. */
  openIdIssuer: string;
  allowedAudiences: string[];
  allowedApplications: string[];
  allowedPrincipals: string[];
}

/** The authsettingsV2 document cannot be enforced as it is. */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../../../infra/bicep/policy/', import.meta.url));

/**
 * Reads `infra/bicep/policy/<app>-authsettings.json` (the document Bicep deploys) and fills in the
 * local tenant, client ids and allowed callers. HTTPS is not required locally. As infra does, the worker
 * admits only the orchestrator identity and the run API only the operator client applications (the
 * local operator client here; the Azure CLI in Azure); the apps check their app roles themselves.
 */
export function buildLocalPolicy(
  app: ProtectedApp,
  registrations: LocalRegistrations,
  issuerOrigin: string,
  options: { policyDir?: string } = {},
): Record<string, unknown> {
  const path = `${options.policyDir ?? DEFAULT_POLICY_DIR}/${app}-authsettings.json`;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new PolicyError(`Cannot read the Easy Auth policy ${path}: restore it from git.`, { cause });
  }
  const api = app === 'worker' ? registrations.worker : registrations.orchestratorApi;
  const caller = app === 'worker' ? registrations.orchestratorIdentity : registrations.operator;
  const aad = field(field(doc, 'identityProviders'), 'azureActiveDirectory');
  const validation = field(aad, 'validation');

  field(aad, 'registration').clientId = api.clientId;
  field(aad, 'registration').openIdIssuer =
    `${issuerOrigin.replace(/\/+$/, '')}/${registrations.tenantId}/v2.0`;
  validation.allowedAudiences = [api.clientId, api.identifierUri];
  const authorization = field(validation, 'defaultAuthorizationPolicy');
  authorization.allowedApplications = [caller.clientId];
  // As infra does: the worker admits the orchestrator identity's object id too.
  if (app === 'worker') field(authorization, 'allowedPrincipals').identities = [caller.objectId];
  field(doc, 'httpSettings').requireHttps = false;
  return doc;
}

/** Reads the parts of an authsettingsV2 document that the proxy enforces. */
export function parsePolicy(doc: Record<string, unknown>): EasyAuthPolicy {
  const global = field(doc, 'globalValidation');
  const aad = field(field(doc, 'identityProviders'), 'azureActiveDirectory');
  const validation = field(aad, 'validation');
  const authorization = field(validation, 'defaultAuthorizationPolicy');
  const registration = field(aad, 'registration');

  const policy: EasyAuthPolicy = {
    enabled: field(doc, 'platform').enabled !== false && aad.enabled !== false,
    requireAuthentication: global.requireAuthentication === true,
    unauthenticatedClientAction: action(global.unauthenticatedClientAction),
    excludedPaths: strings(global.excludedPaths, 'globalValidation.excludedPaths'),
    clientId: typeof registration.clientId === 'string' ? registration.clientId : '',
    openIdIssuer:
      typeof registration.openIdIssuer === 'string' ? registration.openIdIssuer.replace(/\/+$/, '') : '',
    allowedAudiences: strings(validation.allowedAudiences, 'validation.allowedAudiences'),
    allowedApplications: strings(authorization.allowedApplications, 'allowedApplications'),
    allowedPrincipals: strings(
      field(authorization, 'allowedPrincipals').identities,
      'allowedPrincipals.identities',
    ),
  };
  if (policy.enabled && (policy.clientId === '' || policy.openIdIssuer === '')) {
    throw new PolicyError(
      'registration.clientId and registration.openIdIssuer must be filled in (see buildLocalPolicy).',
    );
  }
  // Easy Auth always accepts the app's own client id as an audience.
  if (!policy.allowedAudiences.includes(policy.clientId)) policy.allowedAudiences.push(policy.clientId);
  return policy;
}

/** True when `path` equals an excluded path or lies under it, compared without letter case. */
export function isExcludedPath(policy: EasyAuthPolicy, path: string): boolean {
  const lower = path.toLowerCase();
  return policy.excludedPaths.some((entry) => {
    const excluded = entry.toLowerCase().replace(/\/+$/, '');
    return lower === excluded || lower.startsWith(`${excluded}/`);
  });
}

function field(parent: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = parent[name];
  if (value === undefined) {
    const created: Record<string, unknown> = {};
    parent[name] = created;
    return created;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PolicyError(`"${name}" must be an object in the authsettingsV2 document.`);
  }
  return value as Record<string, unknown>;
}

function strings(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new PolicyError(`"${name}" must be a list of strings.`);
  }
  return value.filter((item) => item !== '');
}

function action(value: unknown): EasyAuthPolicy['unauthenticatedClientAction'] {
  const known = ['Return401', 'Return403', 'AllowAnonymous', 'RedirectToLoginPage'] as const;
  const found = known.find((name) => name === value);
  if (value !== undefined && !found)
    throw new PolicyError(`Unknown unauthenticatedClientAction ${JSON.stringify(value)}.`);
  return found ?? 'RedirectToLoginPage';
}
