// Settings validation and the Easy Auth principal parser.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SettingsError } from '../../orchestrator-app/src/errors.js';
import { parsePrincipal } from '../../orchestrator-app/src/http/principal.js';
import {
  parseFailureStorageSettings,
  parseRunSettings,
  parseWorkerSettings,
} from '../../orchestrator-app/src/settings.js';

const WORKER = { WORKER_BASE_URL: 'http://127.0.0.1:7072', WORKER_SCOPE: 'api://batch-worker/.default' };

function settingOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof SettingsError) return error.setting;
    throw error;
  }
  return undefined;
}

test('worker settings have defaults and require the base URL and scope', () => {
  const settings = parseWorkerSettings(WORKER);
  assert.deepEqual(
    [
      settings.retries,
      settings.retryAfterInlineMaxMs,
      settings.requestTimeoutMs,
      settings.tokenTimeoutMs,
      settings.pageSize,
    ],
    [4, 5000, 30_000, 10_000, 500],
  );
  assert.equal(
    settingOf(() => parseWorkerSettings({ WORKER_SCOPE: 'x' })),
    'WORKER_BASE_URL',
  );
  assert.equal(
    settingOf(() => parseWorkerSettings({ WORKER_BASE_URL: 'http://a' })),
    'WORKER_SCOPE',
  );
});

test('a bad limit is an error naming the setting and quoting the value', () => {
  assert.equal(
    settingOf(() => parseWorkerSettings({ ...WORKER, WORKER_RETRIES: 'many' })),
    'WORKER_RETRIES',
  );
  assert.equal(
    settingOf(() => parseWorkerSettings({ ...WORKER, WORKER_BASE_URL: 'ftp://x' })),
    'WORKER_BASE_URL',
  );
  assert.equal(
    settingOf(() => parseWorkerSettings({ ...WORKER, TOKEN_TIMEOUT_MS: '5' })),
    'TOKEN_TIMEOUT_MS',
  );
  assert.equal(
    settingOf(() =>
      parseWorkerSettings({ ...WORKER, WORKER_BACKOFF_MIN_MS: '500', WORKER_BACKOFF_MAX_MS: '100' }),
    ),
    'WORKER_BACKOFF_MAX_MS',
  );
  assert.throws(
    () => parseRunSettings({ RUN_MAX_PARALLEL: '0' }),
    /RUN_MAX_PARALLEL: expected an integer from 1 to 256, got "0"/,
  );
  assert.equal(
    settingOf(() => parseRunSettings({ RUN_CATCH_UP: 'maybe' })),
    'RUN_CATCH_UP',
  );
});

test('failure storage takes a connection string or a blob service URI', () => {
  assert.equal(
    parseFailureStorageSettings({ FAILURES_STORAGE: 'UseDevelopmentStorage=true' }).kind,
    'connectionString',
  );
  const identity = parseFailureStorageSettings({
    FAILURES_STORAGE__blobServiceUri: 'https://acct.blob.core.windows.net',
    FAILURES_STORAGE__clientId: 'cid',
  });
  assert.deepEqual(identity.kind === 'identity' ? [identity.clientId, identity.container] : identity, [
    'cid',
    'run-failures',
  ]);
  assert.equal(
    settingOf(() => parseFailureStorageSettings({})),
    'FAILURES_STORAGE',
  );
  assert.equal(
    settingOf(() => parseFailureStorageSettings({ FAILURES_STORAGE: 'x', FAILURES_CONTAINER: 'Bad_Name' })),
    'FAILURES_CONTAINER',
  );
});

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

test('the principal parser reads roles by role_typ and by roles, and the caller ids', () => {
  const principal = parsePrincipal(
    encode({
      auth_typ: 'aad',
      name_typ: 'name',
      role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
      claims: [
        { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'Runs.Read' },
        { typ: 'roles', val: 'Runs.Operate' },
        { typ: 'appid', val: 'app-v1' },
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-1' },
      ],
    }),
  );
  assert.deepEqual([...(principal?.roles ?? [])].sort(), ['Runs.Operate', 'Runs.Read']);
  assert.deepEqual([principal?.appId, principal?.objectId], ['app-v1', 'oid-1']);
});

test('a missing or malformed principal parses to nothing, so callers fail closed', () => {
  for (const header of [undefined, '', '!!!', encode('text'), encode({ claims: 'no' })]) {
    assert.equal(parsePrincipal(header), undefined, String(header));
  }
});
