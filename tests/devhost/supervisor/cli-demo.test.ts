import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';

const CLI = join(import.meta.dirname, '../../../devhost/src/cli.ts');
const ACCOUNTS = 12;

test('devhost demo runs one statements batch to completion and keeps serving until SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devhost-demo-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'demo', '--json', '--port-base', '0', '--no-dashboard', '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, WORKER_DEMO_ACCOUNTS: String(ACCOUNTS) } },
  );
  const exited = once(child, 'exit');
  const records: Record<string, unknown>[] = [];
  const finished = new Promise<Record<string, unknown>>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const record = JSON.parse(line) as Record<string, unknown>;
      records.push(record);
      if (record.event === 'demo.run_finished' || record.event === 'demo.run_failed') resolve(record);
    });
  });

  let final: Record<string, unknown>;
  try {
    final = await finished;
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }

  assert.equal(final.event, 'demo.run_finished');
  assert.equal(final.status, 'completed');
  assert.equal(final.succeeded, ACCOUNTS);
  const started = records.find((record) => record.event === 'demo.run_started');
  assert.equal(started?.instanceId, final.instanceId);
  assert.equal(child.exitCode, 0);
});
