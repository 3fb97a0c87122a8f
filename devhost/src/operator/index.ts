// Operator access to the orchestrator's run API: token from the local issuer, client, progress bar.

/** The run status document of `GET /api/runs/{id}` (docs/contracts.md). */
export interface RunStatus {
  id: string;
  job: string;
  period: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  progress: {
    total: number;
    succeeded: number;
    failed: number;
    retries: number;
    throttledWaits: number;
    percent: number;
  };
  summary?: Record<string, unknown>;
  failures: { count: number; sample: { itemId: string; status?: number; reason: string }[]; blob?: string };
}

export interface StartRunRequest {
  job: string;
  period?: string;
  itemIds?: string[];
  maxParallel?: number;
  chunkSize?: number;
}

export interface RunApiClient {
  start(request: StartRunRequest, options?: { idempotencyKey?: string }): Promise<RunStatus>;
  get(id: string): Promise<RunStatus>;
  list(query?: Record<string, string>): Promise<{ runs: RunStatus[]; continuationToken?: string }>;
  cancel(id: string): Promise<void>;
  retryFailed(id: string): Promise<RunStatus>;
}

export interface RunApiClientOptions {
  /** Orchestrator origin through its Easy Auth proxy, e.g. `http://127.0.0.1:7071`. */
  baseUrl: string;
  getToken: () => Promise<string>;
}

// Placeholders with the final signatures; the operator part replaces them.
export function createRunApiClient(_options: RunApiClientOptions): RunApiClient {
  throw new Error('devhost: the operator client is not built yet');
}
/** client_credentials token for the local operator client from the local issuer. */
export function getOperatorToken(_options: { issuerUrl: string; scope: string }): Promise<string> {
  return Promise.reject(new Error('devhost: the operator client is not built yet'));
}
/** Polls a run and draws a live progress bar until it ends; resolves with the final status. */
export function watchRun(
  _client: RunApiClient,
  _id: string,
  _options?: { write?: (text: string) => void; intervalMs?: number; interactive?: boolean },
): Promise<RunStatus> {
  return Promise.reject(new Error('devhost: the operator client is not built yet'));
}
