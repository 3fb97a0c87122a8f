/** The run status document of `GET /api/runs/{id}` (docs/contracts.md). */
export interface RunStatus {
  id: string;
  job: string;
  period: string;
  /** `pending`, `running`, `completed`, `failed`, `cancelled`, `suspended` (and `cancelling` once). */
  status: string;
  createdAt: string;
  updatedAt: string;
  progress: {
    total: number;
    succeeded: number;
    failed: number;
    skipped?: number;
    retries: number;
    throttledWaits: number;
    percent: number;
    /** False while the run is still listing items (`total` may grow); absent from older runs. */
    totalFinal?: boolean;
  };
  summary?: Record<string, unknown>;
  failures: { count: number; sample: { itemId: string; status?: number; reason: string }[]; blob?: string };
  trigger?: string | null;
  retryOf?: string | null;
  /** Why a run stopped early, e.g. the circuit opened on 403. */
  reason?: string;
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
  retryFailed(id: string, options?: { idempotencyKey?: string }): Promise<RunStatus>;
}

export interface RunApiClientOptions {
  /** Orchestrator origin through its Easy Auth proxy, e.g. `http://127.0.0.1:7071`. */
  baseUrl: string;
  /** Called before every request, so a long watch never sends an expired token. */
  getToken: () => Promise<string>;
  /** Per-request time limit; default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Run statuses after which nothing changes any more. */
export const FINAL_STATUSES: readonly string[] = ['completed', 'failed', 'cancelled', 'terminated'];
