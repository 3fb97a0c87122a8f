// The Durable HTTP APIs: the public management API at /runtime/webhooks/durabletask (system key
// required) and the client RPC API at /durabletask/ that durable-functions' client calls through
// `rpcBaseUrl`. Both serve the same routes; they differ in the key check and in a few status codes.
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { HttpHandler } from '../contracts.js';
import { BodyTooLargeError, readText, secretEquals, sendJson } from '../http-util.js';
import type { Logger } from '../log.js';
import type { ClientOps, ControlResult, StartResult } from './client-ops.js';
import type { DurableStore } from './store.js';
import { parseJsonText, toStatusJson } from './status.js';
import { isTerminal, type RuntimeStatus } from './types.js';
import { checkStatusPayload, type UrlOptions } from './urls.js';
import {
  decodeToken,
  encodeToken,
  flag,
  isJson,
  parseStatuses,
  sendEmpty,
  sendProblem,
  timeParam,
} from './http-util.js';

const PREFIX = /^\/(runtime\/webhooks\/durabletask|durabletask)(?:\/(.*))?$/i;
const MAX_BODY = 16 * 1024 * 1024;
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
const RUNNING: ReadonlySet<RuntimeStatus> = new Set<RuntimeStatus>([
  'Pending',
  'Running',
  'ContinuedAsNew',
  'Suspended',
]);

export interface HttpApiOptions {
  ops: ClientOps;
  store: DurableStore;
  urls: UrlOptions;
  logger: Logger;
}

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  /** True for the client RPC API (`/durabletask/`). */
  rpc: boolean;
}

export function createHttpApi(options: HttpApiOptions): HttpHandler {
  const { ops, urls } = options;

  const keyOk = (req: IncomingMessage, query: URLSearchParams): boolean => {
    const given = (req.headers['x-functions-key'] as string | undefined) ?? query.get('code') ?? '';
    return secretEquals(given, urls.systemKey);
  };

  const started = (call: Call, result: StartResult): void => {
    if (!result.ok) {
      const status = result.reason === 'conflict' ? 409 : 400;
      return sendProblem(
        call.res,
        status,
        result.reason === 'conflict' ? 'Instance exists' : 'Bad request',
        result.detail,
      );
    }
    const payload = checkStatusPayload(urls, result.id);
    sendJson(call.res, 202, payload, { location: payload.statusQueryGetUri ?? '', 'retry-after': '10' });
  };

  const control = (call: Call, result: ControlResult): void => {
    if (result === 'notFound')
      return sendProblem(call.res, 404, 'Not found', 'No instance with this ID exists.');
    if (result === 'gone') return sendProblem(call.res, 410, 'Gone', 'The instance already ended.');
    sendEmpty(call.res, 202);
  };

  const status = (call: Call, id: string): void => {
    const row = ops.get(id);
    if (!row) return sendEmpty(call.res, 404);
    const showHistory = flag(call.query, 'showHistory', false);
    const offset = Number(call.query.get('historyOffset') ?? '0');
    const limit = call.query.get('historyLimit');
    const body = toStatusJson(row, {
      showInput: flag(call.query, 'showInput', true),
      ...(showHistory ? { history: options.store.readHistory(id) } : {}),
      showHistoryOutput: flag(call.query, 'showHistoryOutput', false),
      ...(Number.isFinite(offset) && offset > 0 ? { historyOffset: offset } : {}),
      ...(limit !== null && Number.isFinite(Number(limit)) ? { historyLimit: Number(limit) } : {}),
    });
    if (RUNNING.has(row.status)) {
      const location = checkStatusPayload(urls, id).statusQueryGetUri ?? '';
      return sendJson(call.res, 202, body, { location, 'retry-after': '5' });
    }
    const failed500 =
      row.status === 'Failed' && flag(call.query, 'returnInternalServerErrorOnFailure', false);
    sendJson(call.res, failed500 ? 500 : 200, body);
  };

  const list = (call: Call): void => {
    const statuses = parseStatuses(call.query.get('runtimeStatus'));
    const from = timeParam(call.query, 'createdTimeFrom');
    const to = timeParam(call.query, 'createdTimeTo');
    const topText = call.query.get('top');
    const top = topText ? Number(topText) : DEFAULT_PAGE;
    if (
      statuses === undefined ||
      Number.isNaN(from) ||
      Number.isNaN(to) ||
      !Number.isInteger(top) ||
      top < 1
    ) {
      return sendProblem(
        call.res,
        400,
        'Bad request',
        'Check runtimeStatus, createdTimeFrom, createdTimeTo and top.',
      );
    }
    const after = decodeToken(call.req.headers['x-ms-continuation-token']);
    const limit = Math.min(top, MAX_PAGE);
    const rows = ops.list({
      ...(from !== undefined ? { createdFrom: from } : {}),
      ...(to !== undefined ? { createdTo: to } : {}),
      ...(statuses.length > 0 ? { statuses } : {}),
      ...(call.query.get('instanceIdPrefix') ? { idPrefix: call.query.get('instanceIdPrefix') ?? '' } : {}),
      ...(after ? { after } : {}),
      limit,
    });
    const showInput = flag(call.query, 'showInput', true);
    const headers: Record<string, string> = {};
    const last = rows.at(-1);
    if (last && rows.length === limit)
      headers['x-ms-continuation-token'] = encodeToken(last.created_at, last.id);
    sendJson(
      call.res,
      200,
      rows.map((row) => toStatusJson(row, { showInput })),
      headers,
    );
  };

  const purgeBy = (call: Call): void => {
    const statuses = parseStatuses(call.query.get('runtimeStatus'));
    const from = timeParam(call.query, 'createdTimeFrom');
    const to = timeParam(call.query, 'createdTimeTo');
    if (
      statuses === undefined ||
      Number.isNaN(from) ||
      Number.isNaN(to) ||
      (!call.rpc && from === undefined)
    ) {
      return sendProblem(
        call.res,
        400,
        'Bad request',
        'createdTimeFrom is required; check createdTimeTo and runtimeStatus.',
      );
    }
    const deleted = ops.purgeBy({
      ...(from !== undefined ? { createdFrom: from } : {}),
      ...(to !== undefined ? { createdTo: to } : {}),
      statuses,
    });
    if (deleted === 0) return sendEmpty(call.res, 404);
    sendJson(call.res, 200, { instancesDeleted: deleted });
  };

  /** The request body as JSON text: null when blank, undefined when it is not JSON. */
  const jsonBody = async (call: Call): Promise<string | null | undefined> => {
    const body = await readText(call.req, MAX_BODY);
    if (body.trim() === '') return null;
    return isJson(body) ? body : undefined;
  };

  const start = async (call: Call, name: string, id: string | undefined): Promise<void> => {
    const input = await jsonBody(call);
    if (input === undefined)
      return sendProblem(call.res, 400, 'Bad request', 'The request body is not valid JSON.');
    const result = ops.start(name, id, input);
    const timeout = Number(call.query.get('timeout') ?? '0');
    if (!result.ok || !(timeout > 0)) return started(call, result);
    await ops.waitForEnd(result.id, timeout * 1000);
    const row = ops.get(result.id);
    if (row && isTerminal(row.status) && row.status === 'Completed')
      return sendJson(call.res, 200, parseJsonText(row.output));
    started(call, result);
  };

  const route = async (call: Call, parts: string[]): Promise<void> => {
    const method = call.req.method ?? 'GET';
    const [head, id, verb, extra] = parts;
    if (head === 'orchestrators' && id && parts.length <= 3) {
      if (method !== 'POST') return sendEmpty(call.res, 405, { allow: 'POST' });
      return start(call, id, verb || undefined);
    }
    if (head !== 'instances') return sendEmpty(call.res, 404);
    if (!id) {
      if (method === 'GET') return list(call);
      if (method === 'DELETE') return purgeBy(call);
      return sendEmpty(call.res, 405, { allow: 'GET, DELETE' });
    }
    if (!verb) {
      if (method === 'GET') return status(call, id);
      if (method === 'DELETE')
        return ops.purge(id) ? sendJson(call.res, 200, { instancesDeleted: 1 }) : sendEmpty(call.res, 404);
      return sendEmpty(call.res, 405, { allow: 'GET, DELETE' });
    }
    if (method !== 'POST') return sendEmpty(call.res, 405, { allow: 'POST' });
    const reason = call.query.get('reason') ?? '';
    switch (verb.toLowerCase()) {
      case 'raiseevent': {
        if (!extra) return sendProblem(call.res, 400, 'Bad request', 'The event name is missing.');
        const input = await jsonBody(call);
        if (input === undefined)
          return sendProblem(call.res, 400, 'Bad request', 'The event data is not valid JSON.');
        return control(call, ops.raiseEvent(id, extra, input));
      }
      case 'terminate':
      case 'suspend':
      case 'resume':
        return control(call, ops.control(id, verb.toLowerCase() as 'terminate', reason));
      case 'restart': {
        const result = ops.restart(id, flag(call.query, 'restartWithNewInstanceId', true));
        if (!result) return sendProblem(call.res, 404, 'Not found', 'No instance with this ID exists.');
        return started(call, result);
      }
      case 'rewind': {
        const row = ops.get(id);
        if (!row) return sendProblem(call.res, 404, 'Not found', 'No instance with this ID exists.');
        if (row.status !== 'Failed')
          return sendProblem(
            call.res,
            call.rpc ? 412 : 410,
            'Not failed',
            'Only failed instances can be rewound.',
          );
        // TODO(durable): rewind is not implemented (restart covers the local need); it answers 501 as the
        // extension does for storage providers without rewind.
        return sendProblem(
          call.res,
          501,
          'Not implemented',
          'devhost does not implement rewind; restart the instance instead.',
        );
      }
      default:
        return sendEmpty(call.res, 404);
    }
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://devhost');
    const match = PREFIX.exec(url.pathname);
    if (!match) return false;
    const rpc = (match[1] ?? '').toLowerCase() === 'durabletask';
    const call: Call = { req, res, query: url.searchParams, rpc };
    // The RPC API has no key (the in-app client calls it directly, as in Azure where it listens on
    // localhost only); a request forwarded by a proxy in front of the host is not the in-app client.
    if (rpc && req.headers['x-forwarded-for'] !== undefined) {
      sendEmpty(res, 404);
      return true;
    }
    if (!rpc && !keyOk(req, url.searchParams)) {
      sendProblem(
        res,
        401,
        'Unauthorized',
        'The system key is missing or wrong: pass it as `code` or `x-functions-key`.',
      );
      return true;
    }
    const parts = (match[2] ?? '').split('/').map((part) => decodeURIComponent(part));
    if (parts.at(-1) === '') parts.pop();
    try {
      await route(call, parts);
    } catch (error) {
      if (error instanceof BodyTooLargeError) sendProblem(res, 413, 'Too large', error.message);
      else {
        options.logger.error('durable.http.failed', { path: url.pathname, error });
        if (!res.headersSent)
          sendProblem(res, 500, 'Internal error', 'The durable API failed; see the host log.');
      }
    }
    return true;
  };
}
