// Serves an app's HTTP triggers: route prefix, templates, methods, auth levels and keys.
import type { IncomingMessage, ServerResponse } from 'node:http';

import type {
  FunctionInvoker,
  HostJson,
  InvocationResult,
  RegisteredFunction,
  RpcTypedData,
} from '../contracts.js';
import { BodyTooLargeError } from '../http-util.js';
import type { Logger } from '../log.js';
import { routePrefixOf } from './app-files.js';
import { headerRecord, readBody, toRpcHttpRequest, writeRpcHttpResponse } from './http-data.js';
import { keyAllows, type HostKeys, type KeyScope } from './keys.js';
import { byPrecedence, compileRoute, type RouteTemplate } from './routes.js';

export interface HttpTriggerOptions {
  invoker: FunctionInvoker;
  hostJson: HostJson;
  keys: HostKeys;
  logger: Logger;
  /** Largest request body accepted; the host's default is 100 MB. */
  maxRequestBodyBytes?: number;
}

interface HttpRoute {
  fn: RegisteredFunction;
  route: RouteTemplate;
  methods: readonly string[] | undefined;
  authLevel: KeyScope | 'anonymous';
}

const DEFAULT_BODY_LIMIT = 100 * 1024 * 1024;

function authLevelOf(binding: RegisteredFunction['trigger']): HttpRoute['authLevel'] {
  const level = (typeof binding.authLevel === 'string' ? binding.authLevel : 'anonymous').toLowerCase();
  if (level === 'function' || level === 'admin' || level === 'system') return level;
  return 'anonymous';
}

/** Compiles every HTTP trigger of the app into routes ordered by precedence. */
export function buildHttpRoutes(invoker: FunctionInvoker, hostJson: HostJson): HttpRoute[] {
  const prefix = routePrefixOf(hostJson);
  return invoker
    .list()
    .filter((fn) => fn.trigger.type === 'httpTrigger')
    .map((fn) => {
      const route = (typeof fn.trigger.route === 'string' ? fn.trigger.route : fn.name).replace(/^\/+/, '');
      const methods = Array.isArray(fn.trigger.methods)
        ? fn.trigger.methods.map((m) => String(m).toUpperCase())
        : [];
      return {
        fn,
        route: compileRoute(prefix ? `${prefix}/${route}` : route),
        methods: methods.length > 0 ? methods : undefined,
        authLevel: authLevelOf(fn.trigger),
      };
    })
    .sort((a, b) => byPrecedence(a.route, b.route));
}

function presentedKey(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-functions-key'];
  return (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('code') ?? undefined;
}

function httpOutput(fn: RegisteredFunction, result: InvocationResult): RpcTypedData | undefined {
  const name = Object.entries(fn.bindings).find(
    ([, b]) => b.direction === 'out' && b.type.toLowerCase() === 'http',
  )?.[0];
  if (name === undefined || name === '$return') return result.returnValue;
  return result.outputData?.find((output) => output.name === name)?.data;
}

/** Returns a request listener for the app's HTTP triggers; it answers 404/401 as the host does. */
export function createHttpTriggerHandler(options: HttpTriggerOptions) {
  const routes = buildHttpRoutes(options.invoker, options.hostJson);
  const limit = options.maxRequestBodyBytes ?? DEFAULT_BODY_LIMIT;
  const { logger } = options;

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const matches = routes.flatMap((entry) => {
      const params = entry.route.match(url.pathname);
      return params ? [{ entry, params }] : [];
    });
    // NOTE: the Functions host answers a known route with an unsupported method with 404, not 405.
    const found = matches.find(({ entry }) => !entry.methods || entry.methods.includes(method));
    if (!found) {
      res.writeHead(404).end();
      return;
    }

    const { entry, params } = found;
    if (
      entry.authLevel !== 'anonymous' &&
      !keyAllows(options.keys, entry.authLevel, presentedKey(req, url))
    ) {
      logger.info('http.unauthorized', { function: entry.fn.name, method, path: url.pathname });
      res.writeHead(401).end();
      return;
    }

    const started = performance.now();
    let status: number;
    try {
      const body = await readBody(req, limit);
      const data = toRpcHttpRequest({ method, url, headers: headerRecord(req), params, body });
      const result = await options.invoker.invoke(entry.fn.name, [{ name: entry.fn.triggerName, data }]);
      writeRpcHttpResponse(res, httpOutput(entry.fn, result), method);
      status = res.statusCode;
    } catch (err) {
      status = err instanceof BodyTooLargeError ? 413 : 500;
      if (status === 500)
        logger.error('http.failed', { function: entry.fn.name, method, path: url.pathname, error: err });
      if (!res.headersSent) res.writeHead(status).end();
      else res.destroy();
    }
    const props = {
      function: entry.fn.name,
      method,
      path: url.pathname,
      status,
      ms: Math.round(performance.now() - started),
    };
    if (status >= 500) logger.warn('http.completed', props);
    else logger.debug('http.completed', props);
  };
}
