// The durable no-op fan-out: `count` activities that do nothing, scheduled at once by one orchestration
// in a devhost host process (SQLite store, real replay engine), next to a plain in-process Promise
// fan-out of the same no-op work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as delay } from 'node:timers/promises';

import { loadOrCreateKeys } from '../../devhost/src/functions-host/keys.js';
import { sampleMemory } from './rss.js';
import { loadSupervisor } from './system.js';

const APP_DIR = join(import.meta.dirname, '..', 'apps', 'noop-fanout');

export interface NoopFanOutResult {
  count: number;
  wallMs: number;
  activitiesPerSecond: number;
  episodes: number;
  historyEvents: number;
  peakRssMb: number;
  /** The same no-op work as a plain `Promise.all` in this process. */
  plainWallMs: number;
  ratio: number;
}

interface Status {
  runtimeStatus: string;
  output?: unknown;
  historyEvents?: { EventType?: string }[];
}

/** Episodes of the one instance: OrchestratorStarted events (type 12) in the store's history. */
function storedEpisodes(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare('SELECT event FROM history').all() as { event: string }[];
    return rows.filter((row) => (JSON.parse(row.event) as { EventType?: number }).EventType === 12).length;
  } finally {
    db.close();
  }
}

async function plainFanOut(count: number): Promise<number> {
  const noop = (input: number): Promise<number> => Promise.resolve(input);
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: count }, (_, i) => noop(i)));
  if (results.length !== count) throw new Error('The plain fan-out lost results.');
  return performance.now() - started;
}

/** Runs the durable no-op fan-out once in a fresh host process and data folder. */
export async function measureNoopFanOut(count: number, fromSource = false): Promise<NoopFanOutResult> {
  const { startHostProcess } = await loadSupervisor(fromSource);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-noop-'));
  const host = await startHostProcess({
    name: 'noop-bench',
    appDir: APP_DIR,
    port: 0,
    dataDir,
    logLevel: 'warn',
    onRecord: () => undefined,
  });
  try {
    const code = loadOrCreateKeys(dataDir).system;
    const api = `${host.url}/runtime/webhooks/durabletask`;
    const memory = sampleMemory(host.pid);
    const started = performance.now();
    const start = await fetch(`${api}/orchestrators/noopFanOut/noop-1?code=${code}`, {
      method: 'POST',
      body: JSON.stringify(count),
    });
    if (start.status !== 202) throw new Error(`Starting the no-op fan-out answered ${start.status}.`);
    let status: Status;
    for (;;) {
      status = (await (await fetch(`${api}/instances/noop-1?showInput=false&code=${code}`)).json()) as Status;
      if (!['Running', 'Pending'].includes(status.runtimeStatus)) break;
      await delay(50);
    }
    const wallMs = performance.now() - started;
    const peakRssMb = memory.stop();
    if (status.runtimeStatus !== 'Completed' || status.output !== count) {
      throw new Error(
        `The no-op fan-out ended ${status.runtimeStatus} with ${JSON.stringify(status.output)}.`,
      );
    }
    const full = (await (
      await fetch(`${api}/instances/noop-1?showHistory=true&showInput=false&code=${code}`)
    ).json()) as Status;
    const events = full.historyEvents ?? [];
    const plainWallMs = await plainFanOut(count);
    return {
      count,
      wallMs,
      activitiesPerSecond: (count * 1000) / wallMs,
      episodes: storedEpisodes(join(dataDir, 'durable.sqlite')),
      historyEvents: events.length,
      peakRssMb,
      plainWallMs,
      ratio: wallMs / plainWallMs,
    };
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
