import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { test } from 'node:test';

import { portsFromBase, resolvePorts } from '../../../devhost/src/supervisor/index.js';

test('zero ports become distinct free ports', async () => {
  const ports = await resolvePorts(portsFromBase(0));
  const values = Object.values(ports);
  assert.ok(values.every((port) => port > 0));
  assert.equal(new Set(values).size, values.length);
});

test('a port that is taken fails the start with the flag that moves it', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const busy = typeof address === 'object' && address ? address.port : 0;
  try {
    await assert.rejects(resolvePorts({ ...portsFromBase(0), identity: busy }), {
      name: 'PortInUseError',
      message: new RegExp(`Port ${busy} \\(identity\\) is in use.*--identity-port`),
    });
  } finally {
    server.close();
  }
});

test('free ports come from below the ephemeral range, where outgoing connections never take them', async (t) => {
  let low: number;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return t.skip('this system does not publish its ephemeral port range');
  }
  const ports = await resolvePorts(portsFromBase(0));
  for (const port of Object.values(ports)) assert.ok(port < low, `port ${port} is in the ephemeral range`);
});
