import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `devhost/local-registrations.json`: local stand-ins for the Entra objects infra creates. */
export interface LocalRegistrations {
  tenantId: string;
  worker: AppRegistration;
  orchestratorApi: AppRegistration;
  orchestratorIdentity: ClientRegistration;
  operator: ClientRegistration;
}
export interface AppRegistration {
  displayName: string;
  clientId: string;
  identifierUri: string;
  appRoles: { id: string; value: string; allowedMemberTypes: string[] }[];
}
export interface ClientRegistration {
  displayName: string;
  clientId: string;
  objectId: string;
  /** Resource key (`worker`, `orchestratorApi`) to the role values assigned on it. */
  appRoleAssignments: Record<string, string[]>;
}

/** The registrations that can be the audience of a token. */
export type ResourceKey = 'worker' | 'orchestratorApi';
export const RESOURCE_KEYS: readonly ResourceKey[] = ['worker', 'orchestratorApi'];

/** The registrations file is malformed or missing a field. */
export class RegistrationsError extends Error {
  override name = 'RegistrationsError';
}

export const DEFAULT_REGISTRATIONS_PATH = fileURLToPath(
  new URL('../../local-registrations.json', import.meta.url),
);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads and checks `devhost/local-registrations.json` (or the file at `path`). */
export function loadRegistrations(path: string = DEFAULT_REGISTRATIONS_PATH): LocalRegistrations {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new RegistrationsError(`Cannot read local registrations from ${path}: fix or restore the file.`, {
      cause,
    });
  }
  return checkRegistrations(parsed, path);
}

function checkRegistrations(value: unknown, path: string): LocalRegistrations {
  const fail = (field: string): never => {
    throw new RegistrationsError(`${path}: "${field}" is missing or invalid; expected a GUID or a string.`);
  };
  const doc = asRecord(value) ?? fail('(root)');
  if (!isGuid(doc.tenantId)) fail('tenantId');

  for (const key of RESOURCE_KEYS) {
    const app = asRecord(doc[key]) ?? fail(key);
    if (!isGuid(app.clientId)) fail(`${key}.clientId`);
    if (typeof app.identifierUri !== 'string' || app.identifierUri === '') fail(`${key}.identifierUri`);
    if (!Array.isArray(app.appRoles)) fail(`${key}.appRoles`);
  }
  for (const key of ['orchestratorIdentity', 'operator'] as const) {
    const client = asRecord(doc[key]) ?? fail(key);
    if (!isGuid(client.clientId)) fail(`${key}.clientId`);
    if (!isGuid(client.objectId)) fail(`${key}.objectId`);
    if (asRecord(client.appRoleAssignments) === undefined) fail(`${key}.appRoleAssignments`);
  }
  return doc as unknown as LocalRegistrations;
}

/**
 * Finds the API a scope or managed-identity `resource` names: `api://batch-worker/.default`,
 * `api://batch-worker`, `<clientId>/.default`, `<clientId>` or `api://<clientId>`.
 */
export function resolveResource(
  registrations: LocalRegistrations,
  scopeOrResource: string,
): ResourceKey | undefined {
  const resource = scopeOrResource
    .trim()
    .replace(/\/\.default$/i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  return RESOURCE_KEYS.find((key) => {
    const app = registrations[key];
    const names = [app.identifierUri, app.clientId, `api://${app.clientId}`].map((name) =>
      name.toLowerCase(),
    );
    return names.includes(resource);
  });
}

/** Role values assigned to a client on a resource, skipping any in `without`. */
export function assignedRoles(
  client: ClientRegistration,
  resource: ResourceKey,
  without: readonly string[] = [],
): string[] {
  return (client.appRoleAssignments[resource] ?? []).filter((role) => !without.includes(role));
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function isGuid(value: unknown): boolean {
  return typeof value === 'string' && GUID.test(value);
}
