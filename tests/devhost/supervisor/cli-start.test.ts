import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';

const CLI = join(import.meta.dirname, '../../../devhost/src/cli.ts');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('devhost start serves until SIGTERM and then stops every process it started', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devhost-cli-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'start', '--json', '--port-base', '0', '--no-dashboard', '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  const records: Record<string, unknown>[] = [];
  const urls = new Promise<Record<string, unknown>>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      records.push(record);
      if (record.event === 'system.urls') resolve(record);
    });
  });

  try {
    const where = await urls;
    const health = await fetch(`${String(where.orchestrator)}/api/health`);
    assert.equal(health.status, 200);
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }

  assert.equal(child.exitCode, 0);
  assert.ok(records.some((record) => record.event === 'system.stopped'));
  const pids = records.filter((record) => record.event === 'host.ready').map((record) => Number(record.pid));
  assert.equal(pids.length, 2);
  assert.deepEqual(pids.filter(alive), []);
});
