// kill -9 of a host in the middle of a run loses nothing: after a restart on the same data folder the
// run completes and every item's effect is applied exactly once (activities run at least once and the
// effect is keyed by run and item).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as delay } from 'node:timers/promises';
import { after, test } from 'node:test';

const ROOT = join(import.meta.dirname, '../../..');
const HOST_SCRIPT = join(import.meta.dirname, 'crash-host.ts');
const COUNT = 240;
const children: ChildProcess[] = [];
const dirs: string[] = [];

after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  systemKey: string;
}

async function startHost(dataDir: string, effectsDb: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--no-warnings', HOST_SCRIPT, dataDir, effectsDb],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const ready = JSON.parse(line) as { url: string; systemKey: string };
    return { child, ...ready };
  }
  throw new Error('The crash host exited before it was ready.');
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function countEffects(effectsDb: string): { effects: number; attempts: number } {
  const db = new DatabaseSync(effectsDb);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    // The fixture creates its tables on the first activity; until both exist nothing was applied.
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('effects', 'attempts')")
      .all();
    if (tables.length < 2) return { effects: 0, attempts: 0 };
    const effects = db.prepare('SELECT COUNT(*) AS n FROM effects').get() as { n: number };
    const attempts = db.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number };
    return { effects: effects.n, attempts: attempts.n };
  } finally {
    db.close();
  }
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  deadlineMs = 60_000,
): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await delay(10);
  }
}

async function status(host: Started, id: string): Promise<{ runtimeStatus: string; output: unknown }> {
  const res = await fetch(`${host.url}/runtime/webhooks/durabletask/instances/${id}?code=${host.systemKey}`);
  return (await res.json()) as { runtimeStatus: string; output: unknown };
}

test('a run killed twice with SIGKILL completes after restarts with every effect applied once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devhost-crash-'));
  dirs.push(dataDir);
  const effectsDb = join(dataDir, 'effects.sqlite');

  let host = await startHost(dataDir, effectsDb);
  const start = await fetch(
    `${host.url}/runtime/webhooks/durabletask/orchestrators/crashRun/crash-run-1?code=${host.systemKey}`,
    {
      method: 'POST',
      body: JSON.stringify({ count: COUNT, chunk: 60, window: 6 }),
    },
  );
  assert.equal(start.status, 202);

  for (const threshold of [40, 140]) {
    await until(`${threshold} effects`, () => countEffects(effectsDb).effects >= threshold);
    await killHard(host.child);
    assert.ok(countEffects(effectsDb).effects < COUNT, 'the kill came after the run had finished');
    host = await startHost(dataDir, effectsDb);
  }

  await until(
    'the run to end',
    async () => (await status(host, 'crash-run-1')).runtimeStatus === 'Completed',
  );
  const final = await status(host, 'crash-run-1');
  assert.equal(final.output, COUNT * (COUNT - 1));
  const counts = countEffects(effectsDb);
  assert.equal(counts.effects, COUNT);
  assert.ok(counts.attempts >= COUNT, `attempts ${counts.attempts}`);
  await killHard(host.child);
});
