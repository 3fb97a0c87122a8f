// Settings are read from the environment on first use and validated once, so a host can set the
// environment after importing the app but before the first invocation.
import { SettingsError } from './errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/** How the worker client calls the worker. */
export interface WorkerSettings {
  baseUrl: URL;
  scope: string;
  identityClientId: string | undefined;
  /** Per-request time limit of one HTTP attempt. */
  requestTimeoutMs: number;
  /** Inline retries after the first attempt. */
  retries: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  /** A `Retry-After` up to this is waited for inline; a longer one goes back to the orchestration. */
  retryAfterInlineMaxMs: number;
  /** Page size asked of the worker's item list. */
  pageSize: number;
  /** Time limit around one `getToken()` call, which has none of its own. */
  tokenTimeoutMs: number;
}

/** Defaults and limits of runs, for the timer and the run API. */
export interface RunSettings {
  schedule: string;
  job: string;
  catchUp: boolean;
  maxParallel: number;
  chunkSize: number;
  chunksInFlight: number;
  pagesPerGeneration: number;
  throttleMaxWaits: number;
  readRole: string;
  operateRole: string;
}

/** Where failure lists go. */
export type FailureStorageSettings =
  | { kind: 'connectionString'; connectionString: string; container: string }
  | { kind: 'identity'; blobServiceUri: URL; clientId: string | undefined; container: string };

function text(env: Env, name: string, fallback?: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  throw new SettingsError(name, 'is required but not set.');
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(name, `expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new SettingsError(name, `expected true or false, got ${JSON.stringify(raw)}.`);
}

function url(name: string, value: string): URL {
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('not http(s)');
    return parsed;
  } catch (error) {
    throw new SettingsError(name, `expected an http(s) URL, got ${JSON.stringify(value)}.`, { cause: error });
  }
}

/** Reads and validates the worker client settings from `env`. */
export function parseWorkerSettings(env: Env): WorkerSettings {
  const baseUrl = url('WORKER_BASE_URL', text(env, 'WORKER_BASE_URL'));
  const backoffMinMs = integer(env, 'WORKER_BACKOFF_MIN_MS', 500, 1, 60_000);
  const backoffMaxMs = integer(env, 'WORKER_BACKOFF_MAX_MS', 10_000, 1, 300_000);
  if (backoffMaxMs < backoffMinMs) {
    throw new SettingsError(
      'WORKER_BACKOFF_MAX_MS',
      `must be at least WORKER_BACKOFF_MIN_MS (${backoffMinMs}).`,
    );
  }
  return {
    baseUrl,
    scope: text(env, 'WORKER_SCOPE'),
    identityClientId: optional(env, 'ORCHESTRATOR_IDENTITY_CLIENT_ID'),
    requestTimeoutMs: integer(env, 'WORKER_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    retries: integer(env, 'WORKER_RETRIES', 4, 0, 20),
    backoffMinMs,
    backoffMaxMs,
    retryAfterInlineMaxMs: integer(env, 'WORKER_RETRY_AFTER_INLINE_MAX_MS', 5_000, 0, 120_000),
    pageSize: integer(env, 'WORKER_PAGE_SIZE', 500, 1, 1000),
    tokenTimeoutMs: integer(env, 'TOKEN_TIMEOUT_MS', 10_000, 100, 120_000),
  };
}

function jobName(env: Env): string {
  const job = text(env, 'RUN_JOB', 'statements');
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(job)) {
    throw new SettingsError(
      'RUN_JOB',
      `expected 1-64 letters, digits, "-" or "_", got ${JSON.stringify(job)}.`,
    );
  }
  return job;
}

/** Reads and validates the run settings from `env`. */
export function parseRunSettings(env: Env): RunSettings {
  return {
    schedule: text(env, 'RUN_SCHEDULE', '0 0 2 1 * *'),
    job: jobName(env),
    catchUp: flag(env, 'RUN_CATCH_UP', false),
    maxParallel: integer(env, 'RUN_MAX_PARALLEL', 32, 1, 256),
    chunkSize: integer(env, 'RUN_CHUNK_SIZE', 250, 10, 1000),
    chunksInFlight: integer(env, 'RUN_CHUNKS_IN_FLIGHT', 1, 1, 16),
    pagesPerGeneration: integer(env, 'RUN_PAGES_PER_GENERATION', 10, 1, 1000),
    throttleMaxWaits: integer(env, 'RUN_THROTTLE_MAX_WAITS', 5, 0, 100),
    readRole: text(env, 'RUNS_READ_ROLE', 'Runs.Read'),
    operateRole: text(env, 'RUNS_OPERATE_ROLE', 'Runs.Operate'),
  };
}

/** Reads and validates where failure lists are stored. */
export function parseFailureStorageSettings(env: Env): FailureStorageSettings {
  const container = text(env, 'FAILURES_CONTAINER', 'run-failures');
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(container)) {
    throw new SettingsError(
      'FAILURES_CONTAINER',
      `is not a valid container name: ${JSON.stringify(container)}.`,
    );
  }
  const connectionString = optional(env, 'FAILURES_STORAGE');
  if (connectionString) return { kind: 'connectionString', connectionString, container };
  const serviceUri = optional(env, 'FAILURES_STORAGE__blobServiceUri');
  if (serviceUri) {
    return {
      kind: 'identity',
      blobServiceUri: url('FAILURES_STORAGE__blobServiceUri', serviceUri),
      clientId: optional(env, 'FAILURES_STORAGE__clientId'),
      container,
    };
  }
  throw new SettingsError(
    'FAILURES_STORAGE',
    'set FAILURES_STORAGE (a connection string, local only) or FAILURES_STORAGE__blobServiceUri.',
  );
}

let worker: WorkerSettings | undefined;
let run: RunSettings | undefined;
let failures: FailureStorageSettings | undefined;

/** The worker client settings of this process, validated on first use. */
export function workerSettings(): WorkerSettings {
  worker ??= parseWorkerSettings(process.env);
  return worker;
}

/** The run settings of this process, validated on first use. */
export function runSettings(): RunSettings {
  run ??= parseRunSettings(process.env);
  return run;
}

/** The failure storage settings of this process, validated on first use. */
export function failureStorageSettings(): FailureStorageSettings {
  failures ??= parseFailureStorageSettings(process.env);
  return failures;
}
