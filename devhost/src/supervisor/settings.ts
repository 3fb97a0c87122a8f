// The app settings the supervisor gives each app host: what Bicep sets as app settings in Azure.
import type { IdentityServer, LocalRegistrations } from '../identity/index.js';
import type { SystemPorts } from './ports.js';

export interface SettingsInput {
  registrations: LocalRegistrations;
  ports: SystemPorts;
  /** Azurite connection string. */
  storage: string;
  identity: IdentityServer;
}

export function appSettings(input: SettingsInput): {
  orchestrator: Record<string, string>;
  worker: Record<string, string>;
} {
  const { registrations, ports, storage, identity } = input;
  const orchestrator: Record<string, string> = {
    WORKER_BASE_URL: `http://127.0.0.1:${ports.worker}`,
    WORKER_SCOPE: `${registrations.worker.identifierUri}/.default`,
    ORCHESTRATOR_IDENTITY_CLIENT_ID: registrations.orchestratorIdentity.clientId,
    FAILURES_STORAGE: storage,
    WEBSITE_HOSTNAME: `127.0.0.1:${ports.orchestrator}`,
    IDENTITY_ENDPOINT: identity.managedIdentity.endpoint,
    IDENTITY_HEADER: identity.managedIdentity.header,
  };
  const worker: Record<string, string> = {
    WORKER_STORAGE: storage,
    WORKER_ALLOWED_CALLERS: registrations.orchestratorIdentity.clientId,
    WEBSITE_HOSTNAME: `127.0.0.1:${ports.worker}`,
  };
  return { orchestrator, worker };
}
