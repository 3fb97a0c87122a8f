// Sizes of the reliability suite: small enough for CI by default, the full sizes with
// RELIABILITY_FULL=1. Every size can also be set on its own through the variable named beside it.

const FULL = process.env.RELIABILITY_FULL === '1';

function size(name: string, ci: number, full: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return FULL ? full : ci;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new TypeError(`Expected ${name} to be an integer >= 0, got ${JSON.stringify(raw)}.`);
  return value;
}

export const SIZES = {
  full: FULL,
  /** Items of the kill -9 run and how many times the orchestrator host is killed. */
  crashItems: size('RELIABILITY_CRASH_ITEMS', 300, 2_000),
  crashKills: size('RELIABILITY_CRASH_KILLS', 3, 5),
  /** Items of the worker chaos run. */
  chaosItems: size('RELIABILITY_CHAOS_ITEMS', 300, 2_000),
  /** Outages: the managed-identity endpoint and the worker, in seconds. */
  identityOutageSeconds: size('RELIABILITY_MI_OUTAGE_S', 8, 30),
  workerOutageSeconds: size('RELIABILITY_WORKER_OUTAGE_S', 12, 60),
  outageItems: size('RELIABILITY_OUTAGE_ITEMS', 400, 2_000),
  /** fast-check runs per fuzzed endpoint. */
  fuzzRuns: size('RELIABILITY_FUZZ_RUNS', 150, 1_000),
} as const;
