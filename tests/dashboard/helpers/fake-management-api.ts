// A stand-in for the Durable HTTP management API: only the responses the dashboard tests need,
// kept in memory, with the same key check, paging header and status codes as the real one.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { listenOnLoopback } from '../../support/loopback.js';

export interface FakeInstance {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  createdTime: string;
  lastUpdatedTime: string;
  input?: unknown;
  output?: unknown;
  customStatus?: unknown;
  historyEvents?: unknown[];
}

export interface FakeManagementApi {
  /** Base URL, like `.../runtime/webhooks/durabletask`. */
  baseUrl: string;
  instances: Map<string, FakeInstance>;
  /** Every request as `METHOD path?query`, with the key header it carried. */
  requests: { line: string; key: string | undefined }[];
  close(): Promise<void>;
}

const TERMINAL = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

export async function startFakeManagementApi(
  key: string,
  instances: FakeInstance[] = [],
): Promise<FakeManagementApi> {
  const store = new Map(instances.map((i) => [i.instanceId, i]));
  const requests: FakeManagementApi['requests'] = [];
  const prefix = '/runtime/webhooks/durabletask';

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, origin: string): void => {
    const url = new URL(req.url ?? '/', origin);
    const given =
      (req.headers['x-functions-key'] as string | undefined) ?? url.searchParams.get('code') ?? undefined;
    requests.push({ line: `${req.method} ${url.pathname}${url.search}`, key: given });
    if (given !== key) return send(res, 401);
    if (!url.pathname.startsWith(`${prefix}/instances`)) return send(res, 404);
    const rest = url.pathname.slice(`${prefix}/instances`.length);
    const statusUri = (id: string): string => `${origin}${prefix}/instances/${id}?code=${key}`;

    if (rest === '' && req.method === 'GET') {
      const statuses = (url.searchParams.get('runtimeStatus') ?? '').split(',').filter(Boolean);
      const from = url.searchParams.get('createdTimeFrom');
      const to = url.searchParams.get('createdTimeTo');
      const idPrefix = url.searchParams.get('instanceIdPrefix') ?? '';
      const top = Number(url.searchParams.get('top') ?? 100);
      const all = [...store.values()]
        .filter((i) => statuses.length === 0 || statuses.includes(i.runtimeStatus))
        .filter((i) => !from || Date.parse(i.createdTime) >= Date.parse(from))
        .filter((i) => !to || Date.parse(i.createdTime) <= Date.parse(to))
        .filter((i) => i.instanceId.startsWith(idPrefix))
        .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
      const start = Number(req.headers['x-ms-continuation-token'] ?? 0);
      const page = all.slice(start, start + top).map(({ historyEvents: _h, input: _i, ...rest }) => rest);
      const more = start + top < all.length;
      return send(res, 200, page, more ? { 'x-ms-continuation-token': String(start + top) } : {});
    }

    const [, encoded = '', operation = '', eventName] = rest.split('/');
    const id = decodeURIComponent(encoded);
    const instance = store.get(id);
    if (!instance) return send(res, 404);
    const touch = (status: string): void => {
      instance.runtimeStatus = status;
      instance.lastUpdatedTime = new Date().toISOString().slice(0, 19) + 'Z';
    };

    if (req.method === 'GET' && operation === '') {
      const { historyEvents, ...doc } = instance;
      const body =
        url.searchParams.get('showHistory') === 'true' ? { ...doc, historyEvents: historyEvents ?? [] } : doc;
      return send(res, TERMINAL.has(instance.runtimeStatus) ? 200 : 202, body, { location: statusUri(id) });
    }
    if (req.method === 'DELETE' && operation === '') {
      store.delete(id);
      return send(res, 200, { instancesDeleted: 1 });
    }
    if (req.method !== 'POST') return send(res, 405);
    const running = !TERMINAL.has(instance.runtimeStatus);
    switch (operation) {
      case 'terminate':
        if (!running) return send(res, 410);
        touch('Terminated');
        return send(res, 202);
      case 'suspend':
        if (instance.runtimeStatus !== 'Running') return send(res, 410);
        touch('Suspended');
        return send(res, 202);
      case 'resume':
        if (instance.runtimeStatus !== 'Suspended') return send(res, 410);
        touch('Running');
        return send(res, 202);
      case 'raiseEvent':
        if (!running || !eventName) return send(res, 410);
        return send(res, 202);
      case 'restart':
        touch('Running');
        return send(res, 202, {
          id,
          statusQueryGetUri: statusUri(id),
          terminatePostUri: `${statusUri(id)}/terminate`,
        });
      default:
        return send(res, 404);
    }
  };

  const server = createServer((req, res) => {
    const address = server.address() as AddressInfo;
    handle(req, res, `http://127.0.0.1:${address.port}`);
  });
  const { url, close } = await listenOnLoopback(server);
  return { baseUrl: `${url}${prefix}`, instances: store, requests, close };
}

/** An instance document as the API lists it, created `ageMs` ago. */
export function fakeInstance(
  id: string,
  name: string,
  status: string,
  extra: Partial<FakeInstance> = {},
  ageMs = 60_000,
): FakeInstance {
  const created = new Date(Date.now() - ageMs).toISOString().slice(0, 19) + 'Z';
  return {
    instanceId: id,
    name,
    runtimeStatus: status,
    createdTime: created,
    lastUpdatedTime: created,
    ...extra,
  };
}
