import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startInstance, startTestHost, waitForEnd, type TestHost } from './helpers.js';

let t: TestHost;
before(async () => {
  t = await startTestHost('durable-basic');
});
after(async () => {
  await t.close();
});

test('a sequence of activities completes with their results in order', async () => {
  const id = await startInstance(t, 'sequence', ['x', 'y', 'z']);
  const status = await waitForEnd(t, id);
  assert.equal(status.runtimeStatus, 'Completed');
  assert.deepEqual(status.output, ['hello x', 'hello y', 'hello z']);
});
