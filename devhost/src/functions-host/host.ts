// One function app's host in this process: the app, its HTTP server, timers and durable extension.
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

import type { DurableExtension, FunctionInvoker } from '../contracts.js';
import { createDurableExtension } from '../durable/index.js';
import type { Logger } from '../log.js';
import { loadFunctionApp } from './app-loader.js';
import { coreState } from './core-api.js';
import { createHttpTriggerHandler } from './http-triggers.js';
import type { AppInvoker } from './invoker.js';
import { keyAllows, loadOrCreateKeys, type HostKeys } from './keys.js';
import type { Clock } from './timers/clock.js';
import { startTimers, type TimerFired, type TimerHost } from './timers/timer-host.js';

export interface FunctionHostOptions {
  appDir: string;
  /** 0 picks a free port. */
  port: number;
  /** This app's data folder: keys, timer status, durable store. */
  dataDir: string;
  /** Origin callers use (the Easy Auth proxy in front), for durable management URLs. */
  publicOrigin?: string;
  logger: Logger;
  /** Settings for the app that win over the environment and local.settings.json. */
  env?: Record<string, string>;
  /** Clock for timer triggers; tests pass a ManualClock. */
  clock?: Clock;
  onTimerFired?: (fired: TimerFired) => void;
  /** Leave timers off (tests that drive functions directly). */
  timers?: boolean;
  maxRequestBodyBytes?: number;
}

export interface FunctionHost {
  url: string;
  invoker: FunctionInvoker & Pick<AppInvoker, 'setDurableClientDataProvider'>;
  durable?: DurableExtension;
  keys: HostKeys;
  timers: TimerHost | undefined;
  close(): Promise<void>;
}

const DURABLE_TRIGGERS = new Set(['orchestrationTrigger', 'activityTrigger', 'entityTrigger']);
const DURABLE_PATH = /^\/(runtime\/webhooks\/durabletask|durabletask)(\/|$)/i;

function usesDurable(invoker: FunctionInvoker): boolean {
  return invoker
    .list()
    .some(
      (fn) =>
        DURABLE_TRIGGERS.has(fn.trigger.type) ||
        Object.values(fn.bindings).some((b) => b.type === 'durableClient'),
    );
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0]?.trim() || undefined;
}

/**
 * The URL as the caller used it: behind the Easy Auth proxy that is the public origin from
 * `X-Forwarded-Host` / `-Proto`, as App Service's front end gives the app its public host name.
 */
function requestUrl(req: IncomingMessage): URL {
  const host = firstHeader(req, 'x-forwarded-host') ?? req.headers.host ?? '127.0.0.1';
  const proto = firstHeader(req, 'x-forwarded-proto') === 'https' ? 'https' : 'http';
  try {
    return new URL(req.url ?? '/', `${proto}://${host}`);
  } catch {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/**
 * Loads the app and serves it: HTTP triggers on `port`, timer triggers, and the durable extension
 * when the app registers orchestrations, activities or durable clients.
 */
export async function startFunctionHost(options: FunctionHostOptions): Promise<FunctionHost> {
  const logger = options.logger;
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keys = loadOrCreateKeys(dataDir);
  const app = await loadFunctionApp({
    appDir: options.appDir,
    logger,
    ...(options.env ? { env: options.env } : {}),
  });
  const httpTriggers = createHttpTriggerHandler({
    invoker: app.invoker,
    hostJson: app.hostJson,
    keys,
    logger,
    ...(options.maxRequestBodyBytes ? { maxRequestBodyBytes: options.maxRequestBodyBytes } : {}),
  });

  let durable: DurableExtension | undefined;
  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    if (DURABLE_PATH.test(url.pathname)) {
      if (durable && (await durable.handleHttp(req, res))) return;
      res.writeHead(404).end();
      return;
    }
    if (url.pathname.toLowerCase().startsWith('/admin/')) return adminApi(req, res, url);
    if (url.pathname === '/' && req.method === 'GET') {
      res
        .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        .end('devhost function host is running\n');
      return;
    }
    await httpTriggers(req, res, url);
  };
  const adminApi = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const key =
      (req.headers['x-functions-key'] as string | undefined) ?? url.searchParams.get('code') ?? undefined;
    if (!keyAllows(keys, 'admin', key)) return void res.writeHead(401).end();
    const path = url.pathname.toLowerCase().replace(/\/+$/, '');
    if (path === '/admin/host/status') return json(res, 200, { state: 'Running', version: 'devhost' });
    if (path === '/admin/functions') {
      return json(
        res,
        200,
        app.invoker.list().map((fn) => ({ name: fn.name, trigger: fn.trigger.type, bindings: fn.bindings })),
      );
    }
    res.writeHead(404).end();
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      logger.error('http.unhandled', { path: req.url, error: err });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => ready());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  if (usesDurable(app.invoker)) {
    try {
      durable = await createDurableExtension({
        invoker: app.invoker,
        dataDir,
        hostJson: app.hostJson,
        publicOrigin: options.publicOrigin ?? url,
        rpcOrigin: url,
        systemKey: keys.system,
        logger: logger.child({ part: 'durable' }),
      });
      const extension = durable;
      app.invoker.setDurableClientDataProvider(() => extension.clientBindingData());
      await durable.start();
      logger.info('durable.started', { taskHub: durable.taskHubName });
    } catch (err) {
      durable = undefined;
      logger.error('durable.unavailable', { error: err });
    }
  }

  const timers =
    options.timers === false
      ? undefined
      : startTimers({
          invoker: app.invoker,
          dataDir,
          logger,
          ...(options.clock ? { clock: options.clock } : {}),
          ...(options.onTimerFired ? { onFired: options.onTimerFired } : {}),
        });
  logger.info('host.started', { url, app: app.appDir, functions: app.invoker.list().length });

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await timers?.stop();
    await durable?.stop();
    const closed = new Promise<void>((done) => server.close(() => done()));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
    await closed;
    const terminate = { hookData: {}, appHookData: {} };
    for (const hook of [...coreState.hooksFor('appTerminate')]) await hook(terminate);
    logger.info('host.stopped', { url });
  };

  return {
    url,
    invoker: app.invoker,
    ...(durable ? { durable } : {}),
    keys,
    timers,
    close: () => (closing ??= close()),
  };
}
