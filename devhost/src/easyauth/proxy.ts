import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Logger } from '../log.js';
import { authenticate, type Rejection } from './authenticate.js';
import { type ChaosStats, createChaos, type ProxyChaos } from './chaos.js';
import { forward } from './forward.js';
import { issuerKeys } from './issuer-keys.js';
import { type EasyAuthPolicy, isExcludedPath, parsePolicy } from './policy.js';
import { principalHeaders } from './principal.js';

export interface EasyAuthProxyOptions {
  port: number;
  /** The app host behind the proxy, e.g. `http://127.0.0.1:7082`. */
  target: string;
  /** An authsettingsV2 document with every id filled in (see buildLocalPolicy). */
  policy: Record<string, unknown>;
  logger: Logger;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Clock difference allowed on `exp`/`nbf`; default 300 s, as the .NET token validation Easy Auth uses. */
  clockSkewSeconds?: number;
  /** Largest request head; larger ones get 431 from Node's parser. Default 16 KiB. */
  maxHeaderBytes?: number;
  /** Least time between JWKS fetches for unknown `kid`s; default 30 s. */
  jwksCooldownMs?: number;
  /** Clock for `exp`/`nbf` (epoch ms); default `Date.now`. */
  now?: () => number;
  /** Test switch: faults injected into authenticated requests; off by default. */
  chaos?: ProxyChaos;
}

export interface EasyAuthProxy {
  url: string;
  /** The policy as enforced. */
  policy: EasyAuthPolicy;
  /** Turns the chaos test switch on (a spec) or off (null) while the proxy runs. */
  setChaos(spec: ProxyChaos | null): void;
  /** What the chaos switch did since the proxy started. */
  chaosStats(): ChaosStats;
  close(): Promise<void>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Starts a reverse proxy in front of one app that enforces its Easy Auth (authsettingsV2) policy. */
export async function startEasyAuthProxy(options: EasyAuthProxyOptions): Promise<EasyAuthProxy> {
  const policy = parsePolicy(options.policy);
  const target = new URL(options.target);
  const logger = options.logger.child({ component: 'easyauth', app: policy.clientId });
  const keys = issuerKeys(policy.openIdIssuer, { cooldownMs: options.jwksCooldownMs ?? 30_000 });
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const authorizeUri = `${policy.openIdIssuer.replace(/\/v2\.0$/, '')}/oauth2/v2.0/authorize`;
  const clockSkewSeconds = options.clockSkewSeconds ?? 300;
  const now = options.now ?? Date.now;
  const chaos = createChaos(options.chaos);

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    rejection: Omit<Rejection, 'kind' | 'status'> & { status: number },
  ): void => {
    logger.info('easyauth.rejected', {
      status: rejection.status,
      reason: rejection.reason,
      method: req.method,
      path: req.url?.split('?')[0],
      ...rejection.facts,
    });
    const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
    if (rejection.status === 401) {
      const error = rejection.error ? `, error="${rejection.error}"` : '';
      const realm = (req.headers.host ?? '').replace(/"/g, '');
      headers['www-authenticate'] =
        `Bearer realm="${realm}", authorization_uri="${authorizeUri}", resource_id="${policy.clientId}"${error}`;
    }
    if (rejection.status === 503) headers['retry-after'] = '5';
    req.resume();
    const body = JSON.stringify({
      type: 'about:blank',
      title: TITLES[rejection.status] ?? 'Error',
      status: rejection.status,
      detail: rejection.reason,
    });
    res.writeHead(rejection.status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Dot segments are resolved first so `/api/health/../jobs` cannot pass as an excluded path.
    const path = new URL(req.url ?? '/', 'http://proxy.invalid').pathname;
    const excluded = isExcludedPath(policy, path);
    const outcome = policy.enabled
      ? await authenticate(req.headers, req.headersDistinct, { policy, keys, clockSkewSeconds, now })
      : ({ kind: 'anonymous' } as const);

    if (outcome.kind === 'rejected' && (outcome.status === 400 || !excluded))
      return refuse(req, res, outcome);
    let inject: Record<string, string> = {};
    if (!excluded && outcome.kind === 'anonymous' && policy.enabled && policy.requireAuthentication) {
      const status = policy.unauthenticatedClientAction === 'Return403' ? 403 : 401;
      return refuse(req, res, { status, reason: 'no bearer token' });
    }
    if (!excluded && outcome.kind === 'authenticated') inject = principalHeaders(outcome.claims);
    if (!excluded && chaos.strike(req, res)) return;

    forward(req, res, {
      target,
      agent,
      inject,
      logger,
      onUpstreamError: (error) => {
        logger.warn('easyauth.upstream_failed', { target: options.target, reason: error.message });
        refuse(req, res, {
          status: 502,
          reason: 'the app behind the proxy did not answer',
        });
      },
    });
  };

  const server = createServer({ maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024 });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('easyauth.request_failed', { error });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  logger.info('easyauth.started', {
    url,
    target: options.target,
    issuer: policy.openIdIssuer,
    allowedApplications: policy.allowedApplications,
    excludedPaths: policy.excludedPaths,
  });

  return {
    url,
    policy,
    setChaos: (spec) => chaos.set(spec),
    chaosStats: () => chaos.stats(),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
      logger.info('easyauth.stopped', {});
    },
  };
}
