// The Easy Auth (authsettingsV2) reverse proxy that sits in front of each app, as App Service does.
export {
  buildLocalPolicy,
  DEFAULT_POLICY_DIR,
  type EasyAuthPolicy,
  isExcludedPath,
  parsePolicy,
  PolicyError,
  type ProtectedApp,
} from './policy.js';
export { type EasyAuthProxy, type EasyAuthProxyOptions, startEasyAuthProxy } from './proxy.js';
export { type ChaosStats, ChaosSpecError, type ProxyChaos } from './chaos.js';
export { isReservedHeader, type PrincipalClaim, principalHeaders } from './principal.js';
export { IssuerUnavailableError } from './issuer-keys.js';
