// The dashboard server: the built front-end, `/api/config`, and two proxies that add credentials
// server-side, `/api/mgmt/**` to the Durable HTTP management API (system key) and `/api/runs/**`
// to the orchestrator's run API (bearer token). The browser never sees a key or a token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import type { Logger } from '../log.js';
import { sendJson, sendProblem } from './problem.js';
import { serveStatic } from './static-files.js';
import { forwardToUpstream } from './upstream-proxy.js';

export interface DashboardOptions {
  port: number;
  /** e.g. `http://127.0.0.1:7081/runtime/webhooks/durabletask`. */
  managementBaseUrl: string;
  /** Added server-side; never sent to the browser. */
  systemKey: string;
  /** The orchestrator's run API for the run view, when available. */
  runApi?: { baseUrl: string; getToken: () => Promise<string> };
  readOnly?: boolean;
  logger: Logger;
  /** Folder of the built front-end; default `devhost/dist/dashboard-ui`. */
  uiDir?: string;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

/** Header the front-end sends on every API call; cross-site pages cannot send it without CORS. */
export const DASHBOARD_HEADER = 'x-dashboard-request';

const DEFAULT_UI_DIR = fileURLToPath(new URL('../../dist/dashboard-ui/', import.meta.url));
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The only management API paths the dashboard uses: the instances resource and below it. */
const MGMT_PATH =
  /^\/instances(?:\/[^/]+(?:\/(?:terminate|suspend|resume|restart|rewind|raiseEvent\/[^/]+))?)?$/;

/** Starts the dashboard on `127.0.0.1:port` (0 picks a free port). */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const logger = options.logger.child({ component: 'dashboard' });
  const uiDir = options.uiDir ?? DEFAULT_UI_DIR;
  // A query on the base URL (a `code=` pasted from the portal) would end up mid-path; keys come only
  // from `systemKey`.
  const target = new URL(options.managementBaseUrl);
  target.search = '';
  target.hash = '';
  const management = target.toString().replace(/\/+$/, '');
  const readOnly = options.readOnly ?? false;
  const bindHost = options.host ?? '127.0.0.1';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (bindHost === '127.0.0.1' && !LOOPBACK_HOSTS.has(hostName)) {
      // A foreign Host on a loopback server means DNS rebinding; never proxy for it.
      sendProblem(res, 421, 'Misdirected request', `Open the dashboard at http://127.0.0.1:<port>/.`);
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendProblem(res, 405, 'Method not allowed');
      return serveStatic(uiDir, url.pathname, res);
    }

    if (req.headers[DASHBOARD_HEADER] !== '1') {
      return sendProblem(
        res,
        403,
        'Missing dashboard header',
        `API calls must send '${DASHBOARD_HEADER}: 1'.`,
      );
    }
    const mutating = req.method !== 'GET' && req.method !== 'HEAD';
    if (mutating && readOnly) {
      return sendProblem(res, 403, 'Read-only dashboard', 'This dashboard was started with --read-only.');
    }

    if (url.pathname === '/api/config') {
      return sendJson(res, 200, {
        readOnly,
        hasRunApi: options.runApi !== undefined,
        target: target.toString(),
      });
    }

    if (url.pathname.startsWith('/api/mgmt/')) {
      const rest = url.pathname.slice('/api/mgmt'.length);
      if (!MGMT_PATH.test(rest)) return sendProblem(res, 404, 'Unknown management API path', rest);
      const upstream = `${management}${rest}${url.search}`;
      return forwardToUpstream(
        req,
        res,
        {
          url: upstream,
          credentialHeaders: { 'x-functions-key': options.systemKey },
          secrets: [options.systemKey],
          targetName: 'Management API',
        },
        logger,
      );
    }

    if (url.pathname === '/api/runs' || url.pathname.startsWith('/api/runs/')) {
      if (!options.runApi)
        return sendProblem(res, 404, 'No run API', 'The dashboard was started without --run-api.');
      let token: string;
      try {
        token = await options.runApi.getToken();
      } catch (error) {
        logger.warn('dashboard.run_api_token_failed', {
          reason: error instanceof Error ? error.message : '',
        });
        return sendProblem(res, 502, 'Run API unreachable', 'No token could be acquired for the run API.');
      }
      const base = options.runApi.baseUrl.replace(/\/+$/, '');
      return forwardToUpstream(
        req,
        res,
        {
          url: `${base}${url.pathname}${url.search}`,
          credentialHeaders: { authorization: `Bearer ${token}` },
          secrets: [token, options.systemKey],
          targetName: 'Run API',
        },
        logger,
      );
    }

    sendProblem(res, 404, 'Not found', url.pathname);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('dashboard.request_failed', {
        path: req.url,
        reason: error instanceof Error ? error.message : '',
      });
      if (!res.headersSent) sendProblem(res, 500, 'Dashboard error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const url = `http://${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}/`;
  logger.info('dashboard.started', {
    url,
    target: target.toString(),
    readOnly,
    runApi: options.runApi !== undefined,
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
