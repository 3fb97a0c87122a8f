import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseSystemFlags } from '../../../devhost/src/cli/system-flags.js';
import { DEFAULT_PORTS } from '../../../devhost/src/supervisor/index.js';

test('without flags the system uses the default ports of docs/contracts.md and the .devhost data folder', () => {
  const flags = parseSystemFlags([], {});
  assert.deepEqual(flags.ports, DEFAULT_PORTS);
  assert.equal(flags.dataDir, '.devhost');
  assert.equal(flags.json, false);
  assert.equal(flags.dashboard, true);
});

test('a port base moves every port together and a port flag overrides one of them', () => {
  const flags = parseSystemFlags(['--port-base', '8070', '--worker-port', '9999'], {});
  assert.deepEqual(flags.ports, {
    dashboard: 8070,
    orchestrator: 8071,
    worker: 9999,
    identity: 8075,
    orchestratorHost: 8081,
    workerHost: 8082,
  });
});

test('port base 0 asks for free ports everywhere', () => {
  const flags = parseSystemFlags(['--port-base', '0'], {});
  assert.ok(Object.values(flags.ports).every((port) => port === 0));
});

test('the data folder and port base can come from the environment', () => {
  const flags = parseSystemFlags([], { DEVHOST_DATA: '/tmp/elsewhere', DEVHOST_PORT_BASE: '0' });
  assert.equal(flags.dataDir, '/tmp/elsewhere');
  assert.equal(flags.ports.orchestrator, 0);
});

test('bad values are usage errors that quote the value', () => {
  assert.throws(() => parseSystemFlags(['--worker-port', 'http'], {}), {
    name: 'UsageError',
    message: /"http"/,
  });
  assert.throws(() => parseSystemFlags(['--log-level', 'loud'], {}), {
    name: 'UsageError',
    message: /"loud"/,
  });
  assert.throws(() => parseSystemFlags(['--token-lifetime=-5'], {}), { name: 'UsageError' });
  assert.throws(() => parseSystemFlags(['--nope'], {}), { name: 'UsageError', message: /--nope/ });
});
