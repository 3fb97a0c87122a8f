// The full local system as the benchmarks use it: Azurite, identity, Easy Auth proxies and both app
// hosts, with the worker's benchmark job switched on and quiet host logs.
import { createRunApiClient, getOperatorToken, type RunApiClient } from '../../devhost/src/operator/index.js';
import { startTestSystem, type TestSystem } from '../../tests/support/system.js';

export interface WorkerShape {
  /** Items the bench job lists. */
  items: number;
  /** Latency of one bench process call. */
  latencyMs: number;
}

export interface BenchSystem {
  system: TestSystem;
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

/** Starts the system for benchmarks; `orchestratorEnv` adds settings (e.g. NODE_OPTIONS for a profile). */
export async function startBenchSystem(
  shape: WorkerShape,
  orchestratorEnv: Record<string, string> = {},
): Promise<BenchSystem> {
  const system = await startTestSystem({
    env: { worker: workerEnv(shape), orchestrator: orchestratorEnv },
    hostLogLevel: 'warn',
    maxRecords: 5_000,
  });
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
    stop: () => system.stop(),
  };
}
