// The built worker app (dist/, as deployed) served over real HTTP by devhost's Functions host.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type RunningAzurite, startAzurite } from '../../devhost/src/azurite.js';
import { type FunctionHost, startFunctionHost } from '../../devhost/src/functions-host/index.js';
import { createLogger } from '../../devhost/src/log.js';
import { assertBuildIsCurrent } from '../support/app-build.js';
import { CALLER_APP_ID, authHeaders } from './helpers.js';

const APP_DIR = join(import.meta.dirname, '../../worker-app');
let azurite: RunningAzurite;
let host: FunctionHost;
let dataDir: string;

function process(itemId: string, key: string, body: unknown = { runId: 'run-host', period: '2026-04' }) {
  return fetch(`${host.url}/api/jobs/statements/items/${itemId}/process`, {
    method: 'POST',
    headers: { ...authHeaders(), 'idempotency-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

before(async () => {
  assertBuildIsCurrent(APP_DIR);
  azurite = await startAzurite();
  dataDir = mkdtempSync(join(tmpdir(), 'worker-host-'));
  host = await startFunctionHost({
    appDir: APP_DIR,
    port: 0,
    dataDir,
    logger: createLogger({ level: 'error' }),
    env: {
      WORKER_STORAGE: azurite.connectionString,
      WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
      WORKER_DEMO_ACCOUNTS: '8',
    },
    timers: false,
  });
});
after(async () => {
  await host.close();
  await azurite.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the built worker app in a Functions host', () => {
  test('registers its three HTTP functions', () => {
    assert.deepEqual(
      host.invoker
        .list()
        .map((f) => f.name)
        .sort(),
      ['health', 'listItems', 'processItem'],
    );
  });

  test('answers health anonymously and refuses items without a principal', async () => {
    const healthAnswer = await fetch(`${host.url}/api/health`);
    assert.equal(healthAnswer.status, 200);
    assert.deepEqual(await healthAnswer.json(), { status: 'ok' });

    const refused = await fetch(`${host.url}/api/jobs/statements/items`);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer');
    assert.equal(refused.headers.get('content-type'), 'application/problem+json');
  });

  test('lists, processes and replays over HTTP', async () => {
    const listed = await fetch(`${host.url}/api/jobs/statements/items?limit=5`, { headers: authHeaders() });
    const page = (await listed.json()) as { items: { id: string }[]; nextCursor: string | null };
    assert.equal(page.items.length, 5);
    assert.equal(typeof page.nextCursor, 'string');

    const first = await process('acct-000002', 'host/acct-000002');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const second = await process('acct-000002', 'host/acct-000002');
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    const [a, b] = (await Promise.all([first.json(), second.json()])) as { processedAt: string }[];
    assert.equal(a?.processedAt, b?.processedAt);
  });

  test('gives one effect for concurrent HTTP calls with one key', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => process('acct-000003', 'host/acct-000003')),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200, 200],
    );
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { replayed: boolean }[];
    assert.equal(bodies.filter((body) => !body.replayed).length, 1);
  });
});
