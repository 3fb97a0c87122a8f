/** How the worker reaches Azure Table Storage. */
export type StorageSettings =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'managedIdentity'; tableServiceUri: string; clientId: string | undefined };

/** Every setting the worker reads, validated once. */
export interface WorkerSettings {
  /** Undefined when no storage setting is present; only the `statements` job needs it. */
  storage: StorageSettings | undefined;
  requiredRole: string;
  /** Caller application ids allowed in; empty means nobody (fail closed). */
  allowedCallers: ReadonlySet<string>;
  maxConcurrent: number;
  demoAccounts: number;
  bench: { enabled: boolean; latencyMs: number; items: number };
}

/** A setting is present but unusable; the message names the setting and the fix. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly setting: string;

  constructor(setting: string, message: string, options?: ErrorOptions) {
    super(`Setting ${setting}: ${message}`, options);
    this.setting = setting;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new SettingsError(
      name,
      `expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}.`,
    );
  }
  return Number(raw);
}

function flag(env: Env, name: string): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new SettingsError(name, `expected true or false, got ${JSON.stringify(raw)}.`);
}

function storage(env: Env): StorageSettings | undefined {
  const connectionString = text(env, 'WORKER_STORAGE');
  const tableServiceUri = text(env, 'WORKER_STORAGE__tableServiceUri');
  if (connectionString && tableServiceUri) {
    throw new SettingsError('WORKER_STORAGE', 'set either it or WORKER_STORAGE__tableServiceUri, not both.');
  }
  if (connectionString) return { kind: 'connectionString', connectionString };
  if (!tableServiceUri) return undefined;

  let url: URL;
  try {
    url = new URL(tableServiceUri);
  } catch (error) {
    throw new SettingsError(
      'WORKER_STORAGE__tableServiceUri',
      `not a URL: ${JSON.stringify(tableServiceUri)}.`,
      {
        cause: error,
      },
    );
  }
  if (url.protocol !== 'https:') {
    throw new SettingsError('WORKER_STORAGE__tableServiceUri', 'must be an https:// table endpoint.');
  }
  return { kind: 'managedIdentity', tableServiceUri, clientId: text(env, 'WORKER_STORAGE__clientId') };
}

/** Reads and validates the worker's settings from an environment; throws {@link SettingsError}. */
export function readSettings(env: Env): WorkerSettings {
  const callers = (text(env, 'WORKER_ALLOWED_CALLERS') ?? '')
    .split(',')
    .map((id) => id.trim().toLowerCase())
    .filter((id) => id.length > 0);

  return {
    storage: storage(env),
    requiredRole: text(env, 'WORKER_REQUIRED_ROLE') ?? 'Worker.Invoke',
    allowedCallers: new Set(callers),
    maxConcurrent: integer(env, 'WORKER_MAX_CONCURRENT', 32, 1, 10_000),
    demoAccounts: integer(env, 'WORKER_DEMO_ACCOUNTS', 1000, 1, 999_999),
    bench: {
      enabled: flag(env, 'WORKER_BENCH_ENABLED'),
      latencyMs: integer(env, 'WORKER_BENCH_LATENCY_MS', 0, 0, 600_000),
      items: integer(env, 'WORKER_BENCH_ITEMS', 10_000, 0, 999_999),
    },
  };
}
