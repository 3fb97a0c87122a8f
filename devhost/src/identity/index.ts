import type { Logger } from '../log.js';

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

export interface IdentityServerOptions {
  port: number;
  dataDir: string;
  registrations: LocalRegistrations;
  /** Lifetime of issued tokens; default 24 h like Azure's managed identity. */
  tokenLifetimeSeconds?: number;
  logger: Logger;
}

export interface IdentityServer {
  /** Origin, e.g. `http://127.0.0.1:7075`. */
  url: string;
  tenantId: string;
  /** `{url}/{tenantId}/v2.0`. */
  issuer: string;
  /** What the orchestrator process gets as `IDENTITY_ENDPOINT` / `IDENTITY_HEADER`. */
  managedIdentity: { endpoint: string; header: string };
  close(): Promise<void>;
}

// Placeholders with the final signatures; the identity part replaces them.
export function loadRegistrations(_path?: string): LocalRegistrations {
  throw new Error('devhost: the identity part is not built yet');
}
export function startIdentityServer(_options: IdentityServerOptions): Promise<IdentityServer> {
  return Promise.reject(new Error('devhost: the identity part is not built yet'));
}
