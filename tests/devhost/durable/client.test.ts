// The real durable-functions client (df.getClient inside the fixture's HTTP functions) against the
// devhost backend through `rpcBaseUrl`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startTestHost, waitForEnd, waitForStatus, type TestHost } from './helpers.js';

let t: TestHost;
before(async () => {
  t = await startTestHost('durable-basic');
});
after(async () => {
  await t.close();
});

interface ClientAnswer<T> {
  ok: boolean;
  result: T;
  error?: string;
}

async function client<T = unknown>(call: Record<string, unknown>): Promise<ClientAnswer<T>> {
  const res = await fetch(`${t.host.url}/api/client`, { method: 'POST', body: JSON.stringify(call) });
  return (await res.json()) as ClientAnswer<T>;
}

interface Status {
  instanceId: string;
  runtimeStatus: string;
  output: unknown;
  input: unknown;
  customStatus: unknown;
  history?: { EventType: string }[];
}

test('an HTTP starter starts an orchestration and answers with the check-status response', async () => {
  const res = await fetch(`${t.host.url}/api/start/sequence/client-start-1`, {
    method: 'POST',
    body: '["c"]',
  });
  assert.equal(res.status, 202);
  assert.equal(res.headers.get('retry-after'), '10');
  const body = (await res.json()) as Record<string, string>;
  assert.equal(body.id, 'client-start-1');
  assert.equal(res.headers.get('location'), body.statusQueryGetUri);
  assert.match(
    body.statusQueryGetUri ?? '',
    /\/runtime\/webhooks\/durabletask\/instances\/client-start-1\?taskHub=FixtureHub&connection=Storage&code=/,
  );
  assert.deepEqual((await waitForEnd(t, 'client-start-1')).output, ['hello c']);
});

test('startNew and getStatus return the id and a status with input, output and history', async () => {
  const started = await client<string>({
    op: 'startNew',
    name: 'sequence',
    instanceId: 'client-status-1',
    input: ['s'],
  });
  assert.deepEqual(started, { ok: true, result: 'client-status-1' });
  await waitForEnd(t, 'client-status-1');
  const status = await client<Status>({
    op: 'getStatus',
    instanceId: 'client-status-1',
    showHistory: true,
    showHistoryOutput: true,
  });
  assert.equal(status.ok, true);
  assert.equal(status.result.runtimeStatus, 'Completed');
  assert.deepEqual(status.result.input, ['s']);
  assert.deepEqual(status.result.output, ['hello s']);
  assert.deepEqual(
    status.result.history?.map((e) => e.EventType),
    ['ExecutionStarted', 'TaskCompleted', 'ExecutionCompleted'],
  );
});

test('getStatus of an unknown instance fails with the client 404 error', async () => {
  const status = await client({ op: 'getStatus', instanceId: 'client-nobody' });
  assert.equal(status.ok, false);
  assert.match(status.error ?? '', /404/);
});

test('getStatusBy follows continuation tokens across pages and filters by status', async () => {
  const from = new Date(Date.now() - 1000).toISOString();
  const ids = Array.from({ length: 120 }, (_, i) => `client-list-${String(i).padStart(3, '0')}`);
  for (const id of ids) await client({ op: 'startNew', name: 'sequence', instanceId: id, input: [] });
  for (const id of ids) await waitForEnd(t, id);
  // The default page holds 100, so 120 instances need the continuation header both ways.
  const listed = await client<Status[]>({ op: 'getStatusBy', from, statuses: ['Completed'] });
  assert.equal(listed.ok, true);
  const found = listed.result.map((s) => s.instanceId).filter((id) => id.startsWith('client-list-'));
  assert.deepEqual(found.sort(), ids);
  const running = await client<Status[]>({ op: 'getStatusBy', from, statuses: ['Running'] });
  assert.deepEqual(
    running.result.filter((s) => s.instanceId.startsWith('client-list-')),
    [],
  );
  const all = await client<Status[]>({ op: 'getStatusAll' });
  assert.ok(all.result.length >= 120);
});

test('raiseEvent delivers data the orchestration waits for', async () => {
  await client({ op: 'startNew', name: 'approval', instanceId: 'client-event-1' });
  await waitForStatus(t, 'client-event-1', (s) => s.runtimeStatus === 'Running');
  assert.equal(
    (await client({ op: 'raiseEvent', instanceId: 'client-event-1', event: 'approve', data: { by: 'c1' } }))
      .ok,
    true,
  );
  assert.equal(
    (await client({ op: 'raiseEvent', instanceId: 'client-event-1', event: 'approve', data: { by: 'c2' } }))
      .ok,
    true,
  );
  assert.deepEqual((await waitForEnd(t, 'client-event-1')).output, [{ by: 'c1' }, { by: 'c2' }]);
  const missing = await client({
    op: 'raiseEvent',
    instanceId: 'client-event-nobody',
    event: 'approve',
    data: {},
  });
  assert.equal(missing.ok, false);
});

test('suspend, resume and terminate change the status the client reads', async () => {
  await client({ op: 'startNew', name: 'approval', instanceId: 'client-control-1' });
  await waitForStatus(t, 'client-control-1', (s) => s.runtimeStatus === 'Running');
  assert.equal((await client({ op: 'suspend', instanceId: 'client-control-1', reason: 'hold' })).ok, true);
  await waitForStatus(t, 'client-control-1', (s) => s.runtimeStatus === 'Suspended');
  assert.equal((await client({ op: 'resume', instanceId: 'client-control-1', reason: 'go' })).ok, true);
  await waitForStatus(t, 'client-control-1', (s) => s.runtimeStatus === 'Running');
  assert.equal((await client({ op: 'terminate', instanceId: 'client-control-1', reason: 'stop' })).ok, true);
  const status = await client<Status>({ op: 'getStatus', instanceId: 'client-control-1' });
  assert.ok(['Running', 'Terminated'].includes(status.result.runtimeStatus));
  assert.equal((await waitForEnd(t, 'client-control-1')).runtimeStatus, 'Terminated');
  assert.equal(
    (await client({ op: 'terminate', instanceId: 'client-control-1', reason: 'again' })).ok,
    true,
    '410 is not an error',
  );
  assert.equal(
    (await client({ op: 'terminate', instanceId: 'client-control-nobody', reason: 'x' })).ok,
    false,
  );
});

test('purgeInstanceHistory and purgeInstanceHistoryBy report how many instances went', async () => {
  await client({ op: 'startNew', name: 'sequence', instanceId: 'client-purge-1', input: [] });
  await waitForEnd(t, 'client-purge-1');
  assert.deepEqual((await client({ op: 'purge', instanceId: 'client-purge-1' })).result, {
    instancesDeleted: 1,
  });
  assert.deepEqual((await client({ op: 'purge', instanceId: 'client-purge-1' })).result, {
    instancesDeleted: 0,
  });

  const from = new Date(Date.now() - 1000).toISOString();
  await client({ op: 'startNew', name: 'thrower', instanceId: 'client-purge-2' });
  await waitForEnd(t, 'client-purge-2');
  const byFilter = await client<{ instancesDeleted: number }>({ op: 'purgeBy', from, statuses: ['Failed'] });
  assert.equal(byFilter.ok, true);
  assert.ok(byFilter.result.instancesDeleted >= 1);
  assert.equal((await t.mgmt('/instances/client-purge-2')).status, 404);
});

test('the binding data gives management URLs on the public origin with the system key', () => {
  const data = t.host.durable?.clientBindingData() as {
    rpcBaseUrl: string;
    taskHubName: string;
    managementUrls: Record<string, string>;
  };
  assert.equal(data.rpcBaseUrl, `${t.host.url}/durabletask/`);
  assert.equal(data.taskHubName, 'FixtureHub');
  assert.equal(data.managementUrls.id, 'INSTANCEID');
  assert.equal(
    data.managementUrls.statusQueryGetUri,
    `${t.host.url}/runtime/webhooks/durabletask/instances/INSTANCEID?taskHub=FixtureHub&connection=Storage&code=${t.host.keys.system}`,
  );
});
