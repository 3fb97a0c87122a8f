import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Logger } from '../log.js';
import { ADMIN_PREFIX, handleAdmin, type IdentityControls } from './admin.js';
import { type IdentityFaults, type IdentityStats, NO_FAULTS } from './faults.js';
import { sendJson } from './http-util.js';
import { openKeyStore } from './key-store.js';
import { registerLocalIssuer } from './local-issuers.js';
import { handleManagedIdentity, MANAGED_IDENTITY_PATH } from './managed-identity.js';
import { handleOidc } from './oidc.js';
import type { LocalRegistrations } from './registrations.js';
import { ensureSecrets } from './secrets.js';
import { createTokenIssuer } from './token-issuer.js';

export interface IdentityServerOptions {
  port: number;
  dataDir: string;
  registrations: LocalRegistrations;
  /** Lifetime of issued tokens; default 24 h like Azure's managed identity. */
  tokenLifetimeSeconds?: number;
  logger: Logger;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Clock of issued tokens (epoch ms); default `Date.now`. */
  now?: () => number;
  /** How long a rotated-out key stays in the JWKS; default 48 h. */
  retiredKeyRetentionSeconds?: number;
  /** Test switches in force from the start. */
  faults?: Partial<IdentityFaults>;
  /** Serve the `/_devhost/*` test routes; default true. */
  admin?: boolean;
}

export interface IdentityServer extends IdentityControls {
  /** Origin, e.g. `http://127.0.0.1:7075`. */
  url: string;
  tenantId: string;
  /** `{url}/{tenantId}/v2.0`. */
  issuer: string;
  /** `{url}/{tenantId}/oauth2/v2.0/token`. */
  tokenEndpoint: string;
  /** What the orchestrator process gets as `IDENTITY_ENDPOINT` / `IDENTITY_HEADER`. */
  managedIdentity: { endpoint: string; header: string };
  close(): Promise<void>;
}

const EMPTY_STATS: IdentityStats = {
  managedIdentityRequests: 0,
  managedIdentityTokens: 0,
  tokenRequests: 0,
  tokenEndpointTokens: 0,
  faultsInjected: 0,
};

/** Starts the local Entra issuer and the App Service managed-identity endpoint on one port. */
export async function startIdentityServer(options: IdentityServerOptions): Promise<IdentityServer> {
  const { registrations, dataDir } = options;
  const logger = options.logger.child({ component: 'identity' });
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  let lifetimeSeconds = options.tokenLifetimeSeconds ?? 24 * 3600;

  const keys = await openKeyStore({
    dataDir,
    now,
    ...(options.retiredKeyRetentionSeconds === undefined
      ? {}
      : { retiredKeyRetentionSeconds: options.retiredKeyRetentionSeconds }),
  });
  const secrets = await ensureSecrets(dataDir, [registrations.operator.clientId]);
  const faults: IdentityFaults = { ...NO_FAULTS, withoutRoles: [], ...options.faults };
  const stats: IdentityStats = { ...EMPTY_STATS };
  const closing = new AbortController();
  const server = createServer();
  let reopenTimer: NodeJS.Timeout | undefined;

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });

  const applyRefusal = async (): Promise<void> => {
    clearTimeout(reopenTimer);
    if (!faults.refused) {
      if (!server.listening && !closing.signal.aborted) await listen(port);
      return;
    }
    logger.info('identity.outage_started', { refusedForMs: faults.refusedForMs });
    await stopListening();
    if (faults.refusedForMs !== null) {
      reopenTimer = setTimeout(() => {
        faults.refused = false;
        faults.refusedForMs = null;
        applyRefusal().catch((error: unknown) => logger.error('identity.reopen_failed', { error }));
      }, faults.refusedForMs);
    }
  };

  const controls: IdentityControls = {
    faults: () => structuredClone(faults),
    async setFaults(change) {
      Object.assign(faults, change);
      logger.info('identity.faults_changed', { ...change });
      if ('refused' in change || 'refusedForMs' in change) await applyRefusal();
      return structuredClone(faults);
    },
    resetFaults: () => controls.setFaults({ ...NO_FAULTS, withoutRoles: [] }),
    stats: () => ({ ...stats }),
    resetStats() {
      const before = { ...stats };
      Object.assign(stats, EMPTY_STATS);
      return before;
    },
    async rotateKeys() {
      const rotated = await keys.rotate();
      logger.info('identity.key_rotated', rotated);
      return rotated;
    },
    setTokenLifetime(seconds) {
      lifetimeSeconds = seconds;
      logger.info('identity.token_lifetime_changed', { seconds });
    },
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === MANAGED_IDENTITY_PATH)
      return handleManagedIdentity(miContext, req, res, url.searchParams);
    if (options.admin !== false && url.pathname.startsWith(ADMIN_PREFIX)) {
      return handleAdmin(controls, req, res, url.pathname);
    }
    if (await handleOidc(oidcContext, req, res, url.pathname)) return;
    sendJson(res, 404, { error: 'not_found', error_description: `No endpoint at ${url.pathname}.` });
  };
  const port = await listen(options.port);
  const origin = `http://${host}:${port}`;
  const issuer = `${origin}/${registrations.tenantId}/v2.0`;
  const tokenIssuer = createTokenIssuer({
    registrations,
    keys,
    issuer,
    lifetimeSeconds: () => lifetimeSeconds,
    now,
  });
  const miContext = {
    registrations,
    identityHeader: secrets.identityHeader,
    issuer: tokenIssuer,
    faults,
    stats,
    signal: closing.signal,
    logger,
  };
  const oidcContext = { origin, registrations, secrets, keys, issuer: tokenIssuer, stats, logger };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      if (closing.signal.aborted) return void res.destroy();
      logger.error('identity.request_failed', { path: req.url?.split('?')[0], error });
      if (!res.headersSent)
        sendJson(res, 500, { error: 'server_error', error_description: 'Internal error.' });
      else res.destroy();
    });
  });
  if (faults.refused) await applyRefusal();
  const unregister = registerLocalIssuer(origin, dataDir);
  logger.info('identity.started', { url: origin, tenantId: registrations.tenantId, kid: keys.current().kid });

  return {
    ...controls,
    url: origin,
    tenantId: registrations.tenantId,
    issuer,
    tokenEndpoint: `${origin}/${registrations.tenantId}/oauth2/v2.0/token`,
    managedIdentity: { endpoint: `${origin}${MANAGED_IDENTITY_PATH}`, header: secrets.identityHeader },
    async close() {
      closing.abort();
      unregister();
      clearTimeout(reopenTimer);
      await stopListening();
      logger.info('identity.stopped', {});
    },
  };
}
