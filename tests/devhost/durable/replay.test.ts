import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startInstance, startTestHost, waitForEnd, waitForStatus, type TestHost } from './helpers.js';

let t: TestHost;
before(async () => {
  t = await startTestHost('durable-basic');
});
after(async () => {
  await t.close();
});

const sumOfDoubles = (count: number): number => count * (count - 1);

test('a sequence of activities completes with their results in order', async () => {
  const id = await startInstance(t, 'sequence', ['x', 'y', 'z']);
  const status = await waitForEnd(t, id);
  assert.equal(status.runtimeStatus, 'Completed');
  assert.deepEqual(status.output, ['hello x', 'hello y', 'hello z']);
});

test('a Task.all fan-out of 300 activities fans back in with every result', async () => {
  const id = await startInstance(t, 'fanOutAll', 300);
  const status = await waitForEnd(t, id);
  assert.equal(status.output, sumOfDoubles(300));
});

test('a windowed fan-out awaiting the oldest task keeps going until every item is done', async () => {
  const id = await startInstance(t, 'fanOut', { count: 400, window: 25 });
  const status = await waitForEnd(t, id);
  assert.equal(status.runtimeStatus, 'Completed');
  assert.equal(status.output, sumOfDoubles(400));
});

test('an activity with a retry policy succeeds on its third attempt next to a plain activity', async () => {
  const id = await startInstance(t, 'retrying', { key: 'third-time', fails: 2, attempts: 5 });
  const status = await waitForEnd(t, id);
  assert.deepEqual(status.output, { flaky: { key: 'third-time', attempts: 3 }, doubled: 42 });
});

test('when every attempt fails the orchestrator sees the last error after the final retry timer', async () => {
  const id = await startInstance(t, 'retrying', { key: 'never', fails: 99, attempts: 3 });
  const status = await waitForEnd(t, id);
  assert.deepEqual(status.output, { failed: 'Error: flaky attempt 3 of never' });

  const res = await t.mgmt(`/instances/${id}?showHistory=true`);
  const body = (await res.json()) as { historyEvents: { EventType: string }[] };
  const count = (type: string): number => body.historyEvents.filter((e) => e.EventType === type).length;
  assert.equal(count('TaskFailed'), 3);
  assert.equal(count('TimerCreated'), 3);
  assert.equal(count('TimerFired'), 3);
});

test('a durable timer fires no earlier than its due time', async () => {
  const id = await startInstance(t, 'timer', 300);
  const status = await waitForEnd(t, id);
  assert.equal(status.runtimeStatus, 'Completed');
  assert.ok((status.output as number) >= 300, `waited ${String(status.output)} ms`);
});

test('sub-orchestrations run with generated and explicit ids, and with a retry policy', async () => {
  const id = await startInstance(t, 'parent', undefined, 'family-1');
  const status = await waitForEnd(t, id);
  assert.equal(status.runtimeStatus, 'Completed');
  assert.deepEqual(status.output, [
    { input: 1, doubled: 2, parent: 'family-1' },
    { input: 2, doubled: 4, parent: 'family-1' },
    'child done',
  ]);
  const explicit = await waitForEnd(t, 'family-1-explicit');
  assert.equal(explicit.runtimeStatus, 'Completed');
});

test('continue-as-new restarts with the new input and a fresh history until it completes', async () => {
  const id = await startInstance(t, 'counter', 0);
  const status = await waitForEnd(t, id);
  assert.equal(status.output, 'finished at 3');
  assert.equal(status.input, 3);
  const res = await t.mgmt(`/instances/${id}?showHistory=true`);
  const body = (await res.json()) as { historyEvents: { EventType: string }[] };
  assert.equal(body.historyEvents.filter((e) => e.EventType === 'ExecutionStarted').length, 1);
});

test('an orchestrator that throws ends Failed with its error as output', async () => {
  const id = await startInstance(t, 'thrower');
  const status = await waitForEnd(t, id);
  assert.equal(status.runtimeStatus, 'Failed');
  assert.match(String(status.output), /orchestrator boom/);
});

test('external events are delivered in order and custom status follows the orchestrator', async () => {
  const id = await startInstance(t, 'approval');
  await waitForStatus(t, id, (s) => (s.customStatus as { stage?: string } | null)?.stage === 'waiting');
  const raise = (data: unknown): Promise<Response> =>
    t.mgmt(`/instances/${id}/raiseEvent/approve`, { method: 'POST', body: JSON.stringify(data) });
  assert.equal((await raise({ by: 'ada' })).status, 202);
  await waitForStatus(t, id, (s) => (s.customStatus as { stage?: string } | null)?.stage === 'approved');
  assert.equal((await raise({ by: 'bob' })).status, 202);
  const status = await waitForEnd(t, id);
  assert.deepEqual(status.output, [{ by: 'ada' }, { by: 'bob' }]);
  assert.deepEqual(status.customStatus, { stage: 'approved', by: 'ada' });
});

test('activities run concurrently but never more than maxConcurrentActivityFunctions at once', async () => {
  const id = await startInstance(t, 'probes', 60);
  const status = await waitForEnd(t, id);
  const peak = status.output as number;
  assert.ok(peak > 1, `peak ${peak}`);
  assert.ok(peak <= 16, `peak ${peak} is over the host.json limit of 16`);
});

test('terminating a fan-out drops its queued activities', async () => {
  const probeCount = async (): Promise<number> =>
    ((await (await fetch(`${t.host.url}/api/probeCount`)).json()) as { run: number }).run;
  const before = await probeCount();
  const id = await startInstance(t, 'probes', 3000);
  await waitForStatus(t, id, (s) => s.runtimeStatus === 'Running');
  assert.equal((await t.mgmt(`/instances/${id}/terminate?reason=stop`, { method: 'POST' })).status, 202);
  assert.equal((await waitForEnd(t, id)).runtimeStatus, 'Terminated');

  // Work queues first in, first out: this probe runs only after whatever of the fan-out was kept.
  const after = await startInstance(t, 'probes', 1);
  await waitForEnd(t, after);
  const ran = (await probeCount()) - before;
  assert.ok(ran < 3000, `${ran} probes ran after the terminate`);
});

test('a failing sub-orchestration surfaces its error in the parent', async () => {
  const id = await startInstance(t, 'parentOfThrower');
  const status = await waitForEnd(t, id);
  assert.equal(status.runtimeStatus, 'Completed');
  assert.match(String(status.output), /orchestrator boom/);
});
