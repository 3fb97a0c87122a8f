import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { SettingsError, readSettings } from '../../worker-app/src/settings.js';
import { createTables } from '../../worker-app/src/store/tables.js';

function failsOn(env: Record<string, string>, setting: string): void {
  assert.throws(
    () => readSettings(env),
    (error: unknown) =>
      error instanceof SettingsError && error.setting === setting && error.message.includes(setting),
  );
}

describe('worker settings', () => {
  test('default to the documented values, with an empty allow-list and no store', () => {
    const settings = readSettings({});
    assert.equal(settings.storage, undefined);
    assert.equal(settings.requiredRole, 'Worker.Invoke');
    assert.equal(settings.allowedCallers.size, 0);
    assert.equal(settings.maxConcurrent, 32);
    assert.equal(settings.demoAccounts, 1000);
    assert.deepEqual(settings.bench, { enabled: false, latencyMs: 0, items: 10_000 });
  });

  test('read a comma-separated allow-list, trimmed and lower-cased', () => {
    const settings = readSettings({ WORKER_ALLOWED_CALLERS: ' AAA-1 ,, bbb-2 ' });
    assert.deepEqual([...settings.allowedCallers], ['aaa-1', 'bbb-2']);
  });

  test('take the managed-identity form of the store with an optional client id', () => {
    const settings = readSettings({
      WORKER_STORAGE__tableServiceUri: 'https://acct.table.core.windows.net',
      WORKER_STORAGE__clientId: 'cid',
    });
    assert.deepEqual(settings.storage, {
      kind: 'managedIdentity',
      tableServiceUri: 'https://acct.table.core.windows.net',
      clientId: 'cid',
    });
    const tables = createTables(settings.storage ?? assert.fail());
    assert.equal(tables.statements.url, 'https://acct.table.core.windows.net');
  });

  test('name the setting that is wrong', () => {
    failsOn({ WORKER_MAX_CONCURRENT: '0' }, 'WORKER_MAX_CONCURRENT');
    failsOn({ WORKER_MAX_CONCURRENT: '3.5' }, 'WORKER_MAX_CONCURRENT');
    failsOn({ WORKER_DEMO_ACCOUNTS: 'many' }, 'WORKER_DEMO_ACCOUNTS');
    failsOn({ WORKER_BENCH_ENABLED: 'yes please' }, 'WORKER_BENCH_ENABLED');
    failsOn({ WORKER_BENCH_LATENCY_MS: '-5' }, 'WORKER_BENCH_LATENCY_MS');
    failsOn({ WORKER_STORAGE__tableServiceUri: 'not a url' }, 'WORKER_STORAGE__tableServiceUri');
    failsOn(
      { WORKER_STORAGE__tableServiceUri: 'http://acct.table.core.windows.net' },
      'WORKER_STORAGE__tableServiceUri',
    );
    failsOn(
      { WORKER_STORAGE: 'UseDevelopmentStorage=true', WORKER_STORAGE__tableServiceUri: 'https://a' },
      'WORKER_STORAGE',
    );
  });
});
