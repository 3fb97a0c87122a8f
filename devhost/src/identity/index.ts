// The local Entra issuer (OIDC metadata, JWKS, client_credentials) and the App Service
// managed-identity endpoint, on one port. See server.ts for the routes and admin.ts for test switches.
export {
  type AppRegistration,
  type ClientRegistration,
  DEFAULT_REGISTRATIONS_PATH,
  type LocalRegistrations,
  loadRegistrations,
  RegistrationsError,
  resolveResource,
  type ResourceKey,
} from './registrations.js';
export { type IdentityServer, type IdentityServerOptions, startIdentityServer } from './server.js';
export { type IdentityFaults, type IdentityStats, FaultSpecError, NO_FAULTS } from './faults.js';
export { readClientSecret, SecretsError, secretsPath } from './secrets.js';
export { KeyStoreError } from './key-store.js';
export { dataDirOfLocalIssuer } from './local-issuers.js';
