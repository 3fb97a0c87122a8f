import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import type { LogRecord } from '../../../devhost/src/log.js';
import { startHostProcess } from '../../../devhost/src/supervisor/host-process.js';

const APP_DIR = join(import.meta.dirname, '../../fixtures/apps/http-basic');

test('the host process serves the app, logs JSON records and stops cleanly on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devhost-main-'));
  const records: LogRecord[] = [];
  const host = await startHostProcess({
    name: 'fixture',
    appDir: APP_DIR,
    port: 0,
    dataDir,
    env: { FIXTURE_GREETING: 'from the supervisor' },
    onRecord: (record) => records.push(record),
  });
  try {
    const res = await fetch(`${host.url}/api/hello`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { greeting: string }).greeting, 'from the supervisor');
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  assert.equal(await host.exited, 0);
  assert.ok(records.some((record) => record.event === 'host.ready' && record.component === 'fixture'));
  assert.ok(records.some((record) => record.event === 'host.stopped'));
});

test('a host logging only errors still reports ready', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devhost-main-'));
  const records: LogRecord[] = [];
  const host = await startHostProcess({
    name: 'quiet',
    appDir: APP_DIR,
    port: 0,
    dataDir,
    logLevel: 'error',
    onRecord: (record) => records.push(record),
  });
  await host.stop();
  rmSync(dataDir, { recursive: true, force: true });

  assert.deepEqual(
    records.map((record) => record.event),
    ['host.ready'],
  );
});

test('a host whose app folder is wrong fails to start with its own error in the message', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devhost-main-'));
  try {
    await assert.rejects(
      startHostProcess({
        name: 'broken',
        appDir: join(dataDir, 'nothing'),
        port: 0,
        dataDir,
        onRecord: () => undefined,
      }),
      { name: 'HostStartError', message: /No package\.json in app folder/ },
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
