import type { LocalRegistrations } from '../identity/index.js';
import type { Logger } from '../log.js';

export type ProtectedApp = 'worker' | 'orchestrator';

export interface EasyAuthProxyOptions {
  port: number;
  /** The app host behind the proxy, e.g. `http://127.0.0.1:7082`. */
  target: string;
  /** An authsettingsV2 document with every id filled in (see buildLocalPolicy). */
  policy: Record<string, unknown>;
  logger: Logger;
}

export interface EasyAuthProxy {
  url: string;
  close(): Promise<void>;
}

// Placeholders with the final signatures; the Easy Auth part replaces them.
/** Reads `infra/bicep/policy/<app>-authsettings.json` and fills in the local tenant, ids and callers. */
export function buildLocalPolicy(
  _app: ProtectedApp,
  _registrations: LocalRegistrations,
  _issuerOrigin: string,
): Record<string, unknown> {
  throw new Error('devhost: the Easy Auth part is not built yet');
}
export function startEasyAuthProxy(_options: EasyAuthProxyOptions): Promise<EasyAuthProxy> {
  return Promise.reject(new Error('devhost: the Easy Auth part is not built yet'));
}
