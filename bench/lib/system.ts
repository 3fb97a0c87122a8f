// The full local system as the benchmarks use it: Azurite, identity, Easy Auth proxies and both app
// hosts, with the worker's benchmark job switched on and quiet host logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLogger, type LogRecord } from '../../devhost/src/log.js';
import { createRunApiClient, getOperatorToken, type RunApiClient } from '../../devhost/src/operator/index.js';
import type * as SupervisorModule from '../../devhost/src/supervisor/index.js';
import type { RunningSystem } from '../../devhost/src/supervisor/index.js';

type Supervisor = typeof SupervisorModule;

/** The running system and the records its parts logged (oldest dropped past a bound). */
export type BenchRunningSystem = RunningSystem & { records: LogRecord[] };

export interface WorkerShape {
  /** Items the bench job lists. */
  items: number;
  /** Latency of one bench process call. */
  latencyMs: number;
}

export interface BenchSystem {
  system: BenchRunningSystem;
  runs: RunApiClient;
  /** Restarts the worker host with a new bench job shape (no-op when it already has it). */
  shapeWorker(shape: WorkerShape): Promise<void>;
  /** Restarts the orchestrator host: a cold token cache and a fresh peak-memory counter. */
  freshOrchestrator(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The worker sheds load above WORKER_MAX_CONCURRENT (32 by default) in flight; the benchmarks run up
 * to 100 calls at once, so the limit is raised for every measured side alike.
 */
const WORKER_MAX_CONCURRENT = '512';

function workerEnv(shape: WorkerShape): Record<string, string> {
  return {
    WORKER_BENCH_ENABLED: 'true',
    WORKER_BENCH_ITEMS: String(shape.items),
    WORKER_BENCH_LATENCY_MS: String(shape.latencyMs),
    WORKER_MAX_CONCURRENT,
  };
}

/**
 * The supervisor as `devhost start` runs it: from devhost/dist, so the app hosts run compiled
 * JavaScript without a TypeScript loader (`npm run bench` builds first). `fromSource` uses the
 * TypeScript sources instead, as the tests do.
 */
export async function loadSupervisor(fromSource: boolean): Promise<Supervisor> {
  if (fromSource) return import('../../devhost/src/supervisor/index.js');
  const built = new URL('../../devhost/dist/supervisor/index.js', import.meta.url).href;
  return (await import(built)) as Supervisor;
}

const MAX_RECORDS = 5_000;

/**
 * The app setting that overrides the orchestrator's host.json limit of 64 activities at once, as
 * Azure honours it too; the latency-bound benchmark asks for 100 calls in flight.
 */
export const ACTIVITY_LIMIT_SETTING =
  'AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions';

/** Starts the system for benchmarks; `orchestratorEnv` adds settings (e.g. NODE_OPTIONS for a profile). */
export async function startBenchSystem(
  shape: WorkerShape,
  orchestratorEnv: Record<string, string> = {},
  fromSource = false,
): Promise<BenchSystem> {
  const { startSystem, portsFromBase } = await loadSupervisor(fromSource);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-system-'));
  const records: LogRecord[] = [];
  const keep = (record: LogRecord): void => {
    records.push(record);
    if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
  };
  const logger = createLogger({
    json: true,
    level: 'info',
    write: (line) => keep(JSON.parse(line) as LogRecord),
  });
  const running = await startSystem({
    dataDir,
    ports: portsFromBase(0),
    logger,
    onHostRecord: keep,
    appEnv: { worker: workerEnv(shape), orchestrator: orchestratorEnv },
    hostLogLevel: 'warn',
    dashboard: false,
  }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const system: BenchRunningSystem = { ...running, records };
  const scope = `${system.registrations.orchestratorApi.identifierUri}/.default`;
  const runs = createRunApiClient({
    baseUrl: system.urls.orchestrator,
    getToken: () => getOperatorToken({ issuerUrl: system.urls.identity, scope, dataDir: system.dataDir }),
  });
  let current = shape;

  return {
    system,
    runs,
    async shapeWorker(next) {
      if (next.items === current.items && next.latencyMs === current.latencyMs) return;
      await system.hosts.worker.restart({ env: workerEnv(next) });
      current = next;
    },
    freshOrchestrator: () => system.hosts.orchestrator.restart(),
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
