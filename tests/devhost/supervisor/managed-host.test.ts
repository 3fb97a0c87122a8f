import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { createLogger, type LogRecord } from '../../../devhost/src/log.js';
import { startManagedHost } from '../../../devhost/src/supervisor/managed-host.js';

const APP_DIR = join(import.meta.dirname, '../../fixtures/apps/http-basic');
const dataDir = mkdtempSync(join(tmpdir(), 'devhost-managed-'));
const events: LogRecord[] = [];
const logger = createLogger({
  json: true,
  level: 'debug',
  write: (line) => events.push(JSON.parse(line) as LogRecord),
});

after(() => rmSync(dataDir, { recursive: true, force: true }));

async function greeting(url: string): Promise<string> {
  const res = await fetch(`${url}/api/hello`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { greeting: string }).greeting;
}

test('a killed host is restarted on the same port with changed settings', async () => {
  const host = await startManagedHost(
    {
      name: 'fixture',
      appDir: APP_DIR,
      port: 0,
      dataDir,
      env: { FIXTURE_GREETING: 'first' },
      onRecord: () => undefined,
    },
    logger,
  );
  try {
    const firstPid = host.pid;
    assert.equal(await greeting(host.url), 'first');

    await host.kill();
    assert.equal(host.running, false);
    assert.equal(host.pid, -1);
    await assert.rejects(fetch(`${host.url}/api/hello`));

    await host.restart({ env: { FIXTURE_GREETING: 'second' } });
    assert.equal(host.running, true);
    assert.notEqual(host.pid, firstPid);
    assert.equal(await greeting(host.url), 'second');
  } finally {
    await host.stop();
  }
  assert.equal(host.running, false);
  const exits = events.filter((record) => record.event === 'host.exited');
  assert.deepEqual(
    exits.map((record) => record.level),
    ['info', 'info'],
    'an intended kill and a stop are not reported as crashes',
  );
});
