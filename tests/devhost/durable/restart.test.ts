// A host stopped and started again on the same data folder resumes every instance from the store:
// pending timers fire, waiting instances still take events, ended ones keep their status.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { startInstance, startTestHost, waitForEnd, waitForStatus } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'devhost-durable-restart-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('timers, waiting instances and finished results survive a host restart', async () => {
  const first = await startTestHost('durable-basic', { dataDir });
  const timerId = await startInstance(first, 'timer', 400, 'restart-timer');
  const waitId = await startInstance(first, 'approval', undefined, 'restart-wait');
  const doneId = await startInstance(first, 'sequence', ['d'], 'restart-done');
  await waitForEnd(first, doneId);
  await waitForStatus(first, waitId, (s) => s.runtimeStatus === 'Running');
  await waitForStatus(first, timerId, (s) => s.runtimeStatus === 'Running');
  await first.close();

  const second = await startTestHost('durable-basic', { dataDir });
  try {
    assert.deepEqual((await waitForEnd(second, doneId)).output, ['hello d']);
    assert.ok(((await waitForEnd(second, timerId)).output as number) >= 400);
    const raise = (by: string): Promise<Response> =>
      second.mgmt(`/instances/${waitId}/raiseEvent/approve`, {
        method: 'POST',
        body: JSON.stringify({ by }),
      });
    assert.equal((await raise('one')).status, 202);
    assert.equal((await raise('two')).status, 202);
    assert.deepEqual((await waitForEnd(second, waitId)).output, [{ by: 'one' }, { by: 'two' }]);
  } finally {
    await second.close();
  }
});
