// One measured run through the whole system: POST /api/runs through the orchestrator's proxy, poll
// until it ends, then read the orchestration histories from the durable management API.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as delay } from 'node:timers/promises';

import { FINAL_STATUSES, type RunStatus } from '../../devhost/src/operator/index.js';
import { sampleMemory } from './rss.js';
import type { BenchSystem } from './system.js';

export interface DurableRunOptions {
  job: string;
  maxParallel: number;
  chunkSize?: number;
  /** Give up after this long (the run keeps going in the host). */
  deadlineMs?: number;
}

export interface HistoryFacts {
  /** Instances of the run: the run orchestration and its chunk sub-orchestrations. */
  instances: number;
  /** History events of all instances as the management API shows them (final generation only). */
  historyEvents: number;
  /** Largest history of one instance, as the management API shows it. */
  maxHistoryEvents: number;
  /** Raw events in the durable store, OrchestratorStarted/Completed included. */
  storedEvents: number;
  /** Episodes: one OrchestratorStarted event each in the stored histories. */
  episodes: number;
}

export interface DurableRunResult {
  wallMs: number;
  status: RunStatus;
  /** Requests the managed-identity endpoint received during the run. */
  tokenRequests: number;
  /** Peak resident memory of the orchestrator host process during the run. */
  peakRssMb: number;
  history: HistoryFacts;
  /** Warnings and errors the orchestrator host logged during the run (count, first few). */
  warnings: { count: number; first: string[] };
}

const POLL_MS = 100;

async function waitForEnd(bench: BenchSystem, id: string, deadlineMs: number): Promise<RunStatus> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const status = await bench.runs.get(id);
    if (FINAL_STATUSES.includes(status.status)) return status;
    if (Date.now() > end)
      throw new Error(`Run ${id} did not end within ${deadlineMs} ms (${status.status}).`);
    await delay(POLL_MS);
  }
}

interface InstanceStatus {
  instanceId: string;
  historyEvents?: { EventType?: string }[];
}

/** History facts of the run `id` and every instance whose id starts with it. */
export async function historyFacts(bench: BenchSystem, id: string): Promise<HistoryFacts> {
  const { system } = bench;
  const key = `code=${system.keys.orchestrator.system}`;
  const list = await fetch(
    `${system.urls.management}/instances?instanceIdPrefix=${encodeURIComponent(id)}&showInput=false&top=1000&${key}`,
  );
  const instances = (await list.json()) as InstanceStatus[];
  const facts = { instances: instances.length, historyEvents: 0, maxHistoryEvents: 0 };
  for (const { instanceId } of instances) {
    const res = await fetch(
      `${system.urls.management}/instances/${encodeURIComponent(instanceId)}?showHistory=true&showInput=false&${key}`,
    );
    const events = ((await res.json()) as InstanceStatus).historyEvents ?? [];
    facts.historyEvents += events.length;
    facts.maxHistoryEvents = Math.max(facts.maxHistoryEvents, events.length);
  }
  return { ...facts, ...storedFacts(join(system.dataDir, 'orchestrator', 'durable.sqlite'), id) };
}

/** OrchestratorStarted, the event every episode begins with, in the durable store's event enum. */
const ORCHESTRATOR_STARTED = 12;

/** Raw history counts read from the host's SQLite store (read-only, next to the running host). */
function storedFacts(path: string, id: string): { storedEvents: number; episodes: number } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const rows = db
      .prepare('SELECT event FROM history WHERE instance_id = ? OR instance_id LIKE ?')
      .all(id, `${id}:%`) as { event: string }[];
    const episodes = rows.filter(
      (row) => (JSON.parse(row.event) as { EventType?: number }).EventType === ORCHESTRATOR_STARTED,
    ).length;
    return { storedEvents: rows.length, episodes };
  } finally {
    db.close();
  }
}

/**
 * Runs one job to its end in a freshly restarted orchestrator host (cold token cache, its own memory
 * peak) and measures it. The wall time runs from the start request to the first poll that sees the end.
 */
export async function measureDurableRun(
  bench: BenchSystem,
  options: DurableRunOptions,
): Promise<DurableRunResult> {
  await bench.freshOrchestrator();
  const identity = bench.system.identity;
  identity?.resetStats();
  const memory = sampleMemory(bench.system.hosts.orchestrator.pid);
  const firstRecord = bench.system.records.length;

  const started = performance.now();
  const run = await bench.runs.start({
    job: options.job,
    maxParallel: options.maxParallel,
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
  });
  const status = await waitForEnd(bench, run.id, options.deadlineMs ?? 900_000);
  const wallMs = performance.now() - started;
  const peakRssMb = memory.stop();
  const tokenRequests = identity?.stats().managedIdentityRequests ?? Number.NaN;

  if (status.status !== 'completed') {
    throw new Error(
      `Run ${run.id} ended ${status.status}: ${status.reason ?? JSON.stringify(status.progress)}`,
    );
  }
  const warned = bench.system.records
    .slice(firstRecord)
    .filter((record) => record.level === 'warn' || record.level === 'error');
  return {
    wallMs,
    status,
    tokenRequests,
    peakRssMb,
    history: await historyFacts(bench, run.id),
    warnings: {
      count: warned.length,
      first: warned.slice(0, 3).map((record) => JSON.stringify(record).slice(0, 400)),
    },
  };
}
