// The browser's client of the dashboard server: `/api/mgmt/**` is the Durable HTTP management API
// (the server adds the system key), `/api/runs/**` the orchestrator's run API, `/api/config` settings.
import { type Instance, normalizeInstance, normalizeInstances } from './instance.js';
import { buildListQuery, type ListFilter } from './list-query.js';
import { buildRunsQuery, normalizeRunPage, type RunRow } from './runs.js';

export type ApiErrorKind =
  'unreachable' | 'unauthorized' | 'not-found' | 'gone' | 'bad-request' | 'server' | 'network';

/** A failed call, classified so the UI can say what is wrong and what to do. */
export class DashboardApiError extends Error {
  override name = 'DashboardApiError';
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DashboardConfig {
  readOnly: boolean;
  hasRunApi: boolean;
  /** Management base URL the server proxies to, without any key. */
  target?: string;
}

export interface InstancePage {
  instances: Instance[];
  continuationToken?: string;
}

export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<Response>;

/** Header every call carries; the server refuses `/api/**` without it, which blocks cross-site posts. */
export const DASHBOARD_HEADER = 'x-dashboard-request';

const CONTINUATION = 'x-ms-continuation-token';

export function classifyStatus(status: number): ApiErrorKind {
  if (status === 502 || status === 504) return 'unreachable';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not-found';
  if (status === 410) return 'gone';
  if (status >= 400 && status < 500) return 'bad-request';
  return 'server';
}

async function errorFrom(response: Response): Promise<DashboardApiError> {
  const kind = classifyStatus(response.status);
  let detail: string;
  try {
    const body = (await response.json()) as { detail?: unknown; title?: unknown; message?: unknown };
    detail = [body.title, body.detail ?? body.message].filter((s) => typeof s === 'string').join(': ');
  } catch {
    detail = response.statusText;
  }
  const prefix: Record<ApiErrorKind, string> = {
    unreachable: 'The management API is unreachable',
    unauthorized: 'The management API rejected the key',
    'not-found': 'Not found',
    gone: 'The instance is no longer in a state that allows this',
    'bad-request': 'The request was refused',
    server: 'The management API failed',
    network: 'The dashboard server is unreachable',
  };
  return new DashboardApiError(kind, response.status, detail ? `${prefix[kind]} (${detail})` : prefix[kind]);
}

export interface ApiClient {
  config(): Promise<DashboardConfig>;
  listInstances(
    filter: ListFilter,
    now: number,
    continuationToken?: string,
    signal?: AbortSignal,
  ): Promise<InstancePage>;
  getInstance(id: string, options?: { history?: boolean; signal?: AbortSignal }): Promise<Instance>;
  terminate(id: string, reason: string): Promise<void>;
  suspend(id: string, reason: string): Promise<void>;
  resume(id: string, reason: string): Promise<void>;
  restart(id: string, newInstanceId: boolean): Promise<void>;
  raiseEvent(id: string, eventName: string, data: unknown): Promise<void>;
  purge(id: string): Promise<void>;
  /** The run API's status of a run, or undefined when there is no run API or no such run. */
  getRun(id: string, signal?: AbortSignal): Promise<unknown>;
  listRuns(
    query: { status?: string; top?: number; continuationToken?: string },
    signal?: AbortSignal,
  ): Promise<{ runs: RunRow[]; continuationToken?: string }>;
}

export function createApiClient(options: { fetch: FetchLike; baseUrl?: string }): ApiClient {
  const base = options.baseUrl ?? '';

  const call = async (
    path: string,
    init: { method?: string; body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Response> => {
    let response: Response;
    try {
      response = await options.fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: { [DASHBOARD_HEADER]: '1', accept: 'application/json', ...init.headers },
        body: init.body,
        signal: init.signal,
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw new DashboardApiError('network', 0, 'The dashboard server is unreachable', { cause: error });
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  };
  const mgmt = (path: string): string => `/api/mgmt${path}`;
  const instance = (id: string): string => mgmt(`/instances/${encodeURIComponent(id)}`);
  const post = async (path: string, body?: unknown): Promise<void> => {
    const response = await call(path, {
      method: 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
    });
    await response.body?.cancel();
  };
  const reason = (r: string): string => (r ? `?reason=${encodeURIComponent(r)}` : '');

  return {
    async config() {
      return (await (await call('/api/config')).json()) as DashboardConfig;
    },
    async listInstances(filter, now, continuationToken, signal) {
      const headers: Record<string, string> = continuationToken ? { [CONTINUATION]: continuationToken } : {};
      const response = await call(mgmt(buildListQuery(filter, now)), { headers, signal });
      const instances = normalizeInstances(await response.json());
      const token = response.headers.get(CONTINUATION);
      return { instances, continuationToken: token && token !== 'null' ? token : undefined };
    },
    async getInstance(id, { history = false, signal } = {}) {
      const query = history ? '?showHistory=true&showHistoryOutput=true&showInput=true' : '?showInput=true';
      const response = await call(`${instance(id)}${query}`, { signal });
      const parsed = normalizeInstance(await response.json());
      if (!parsed)
        throw new DashboardApiError('server', response.status, `The status of '${id}' could not be read`);
      return parsed;
    },
    terminate: (id, r) => post(`${instance(id)}/terminate${reason(r)}`),
    suspend: (id, r) => post(`${instance(id)}/suspend${reason(r)}`),
    resume: (id, r) => post(`${instance(id)}/resume${reason(r)}`),
    restart: (id, newInstanceId) =>
      post(`${instance(id)}/restart?restartWithNewInstanceId=${String(newInstanceId)}`),
    raiseEvent: (id, eventName, data) =>
      post(`${instance(id)}/raiseEvent/${encodeURIComponent(eventName)}`, data ?? null),
    async purge(id) {
      const response = await call(instance(id), { method: 'DELETE' });
      await response.body?.cancel();
    },
    async listRuns(query, signal) {
      return normalizeRunPage(await (await call(buildRunsQuery(query), { signal })).json());
    },
    async getRun(id, signal) {
      try {
        return (await (await call(`/api/runs/${encodeURIComponent(id)}`, { signal })).json()) as unknown;
      } catch (error) {
        if (
          error instanceof DashboardApiError &&
          (error.kind === 'not-found' || error.kind === 'bad-request')
        )
          return undefined;
        throw error;
      }
    },
  };
}
