// `devhost dashboard` as a process: it starts on the given management API with the key from the
// named environment variable, prints its URL, and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';

import { runDashboardCommand } from '../../devhost/src/dashboard/cli.js';
import { startFakeManagementApi } from './helpers/fake-management-api.js';
import { waitFor } from './helpers/browser.js';

const CLI = join(import.meta.dirname, '..', '..', 'devhost', 'src', 'cli.ts');
const KEY = 'cli-test-system-key-abcdef012345';

test('a missing key variable is a usage error', async () => {
  const code = await runDashboardCommand(
    ['--management-url', 'http://127.0.0.1:1/x', '--key-env', 'NO_SUCH_VAR_9'],
    {},
  );
  assert.equal(code, 2);
});

test('a relative management URL is a usage error', async () => {
  assert.equal(await runDashboardCommand(['--management-url', '/runtime', '--key-env', 'K'], { K: 'k' }), 2);
});

test('a key in the management URL is refused', async () => {
  const argv = [
    '--management-url',
    'http://127.0.0.1:1/runtime/webhooks/durabletask?code=abc',
    '--key-env',
    'K',
  ];
  assert.equal(await runDashboardCommand(argv, { K: 'k' }), 2);
});

test('--run-api without a way to get a token is a usage error', async () => {
  const argv = [
    '--management-url',
    'http://127.0.0.1:1/x',
    '--key-env',
    'K',
    '--run-api',
    'http://127.0.0.1:2',
  ];
  assert.equal(await runDashboardCommand(argv, { K: 'k' }), 2);
});

test('the command serves the dashboard for the given API and stops on SIGTERM', async () => {
  const api = await startFakeManagementApi(KEY);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'dashboard',
      '--management-url',
      api.baseUrl,
      '--key-env',
      'DASH_KEY',
      '--port',
      '0',
      '--read-only',
    ],
    { env: { ...process.env, DASH_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const url = await waitFor(
      'the URL line',
      () => /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1],
      30_000,
    );
    const config = (await (
      await fetch(`${url}api/config`, { headers: { 'x-dashboard-request': '1' } })
    ).json()) as {
      readOnly: boolean;
    };
    assert.equal(config.readOnly, true);
    const list = await fetch(`${url}api/mgmt/instances`, { headers: { 'x-dashboard-request': '1' } });
    assert.equal(list.status, 200);
    assert.equal(api.requests.at(-1)?.key, KEY);
    assert.equal(output.includes(KEY), false, 'the key is never printed');

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await api.close();
  }
});
