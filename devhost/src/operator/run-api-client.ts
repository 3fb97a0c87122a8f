import type { RunApiClient, RunApiClientOptions, RunStatus, StartRunRequest } from './types.js';

/**
 * A run API answer that is not a success, or no answer at all (`status` 0). `detail` is the
 * problem+json detail when the server sent one.
 */
export class RunApiError extends Error {
  override name = 'RunApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly detail?: string,
    readonly problem?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** True for failures worth polling through: no answer, 429 and 5xx. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** A client for the orchestrator's run API (docs/contracts.md), with a fresh bearer token per call. */
export function createRunApiClient(options: RunApiClientOptions): RunApiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? fetch;

  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    const url = `${base}${path}`;
    const token = await options.getToken();
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (cause) {
      throw new RunApiError(
        `Cannot reach the run API at ${base}: is devhost running?`,
        0,
        undefined,
        undefined,
        { cause },
      );
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const problem =
        typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
      const detail = typeof problem?.detail === 'string' ? problem.detail : undefined;
      const title = typeof problem?.title === 'string' ? problem.title : response.statusText;
      throw new RunApiError(
        `${method} ${path} answered ${response.status} ${title}${detail ? `: ${detail}` : ''}`,
        response.status,
        detail,
        problem,
      );
    }
    return parsed as T;
  };
  const runPath = (id: string, suffix = ''): string => `/api/runs/${encodeURIComponent(id)}${suffix}`;
  const keyHeader = (key?: string): Record<string, string> => (key ? { 'idempotency-key': key } : {});

  return {
    start: (request: StartRunRequest, opts = {}) =>
      call<RunStatus>('POST', '/api/runs', request, keyHeader(opts.idempotencyKey)),
    get: (id) => call<RunStatus>('GET', runPath(id)),
    async list(query = {}) {
      const search = new URLSearchParams(query).toString();
      const page = await call<{ runs: RunStatus[]; continuationToken?: string | null }>(
        'GET',
        `/api/runs${search ? `?${search}` : ''}`,
      );
      return page.continuationToken
        ? { runs: page.runs, continuationToken: page.continuationToken }
        : { runs: page.runs };
    },
    async cancel(id) {
      await call<unknown>('POST', runPath(id, '/cancel'));
    },
    retryFailed: (id, opts = {}) =>
      call<RunStatus>('POST', runPath(id, '/retry-failed'), undefined, keyHeader(opts.idempotencyKey)),
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
