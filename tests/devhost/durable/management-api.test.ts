// The Durable HTTP management API at /runtime/webhooks/durabletask, case by case against the table
// of the HTTP API reference Azure publishes for Durable Functions (routes, status codes, headers).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  startInstance,
  startTestHost,
  waitForEnd,
  waitForStatus,
  type StatusBody,
  type TestHost,
} from './helpers.js';

let t: TestHost;
before(async () => {
  t = await startTestHost('durable-basic');
});
after(async () => {
  await t.close();
});

const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const PAYLOAD_KEYS = [
  'id',
  'purgeHistoryDeleteUri',
  'restartPostUri',
  'resumePostUri',
  'rewindPostUri',
  'sendEventPostUri',
  'statusQueryGetUri',
  'suspendPostUri',
  'terminatePostUri',
];

const post = (path: string, body?: string): Promise<Response> =>
  t.mgmt(path, { method: 'POST', ...(body !== undefined ? { body } : {}) });
const waitRunning = (id: string): Promise<StatusBody> =>
  waitForStatus(t, id, (s) => s.runtimeStatus === 'Running');

test('a request without the system key, or with a wrong one, gets 401', async () => {
  assert.equal((await t.mgmt('/instances', { noKey: true })).status, 401);
  const wrong = await fetch(`${t.host.url}/runtime/webhooks/durabletask/instances?code=nope`);
  assert.equal(wrong.status, 401);
  const header = await fetch(`${t.host.url}/runtime/webhooks/durabletask/instances`, {
    headers: { 'x-functions-key': t.host.keys.system },
  });
  assert.equal(header.status, 200);
});

test('start answers 202 with Location, Retry-After 10 and the check-status payload', async () => {
  const res = await post('/orchestrators/sequence/mgmt-start-1', '["q"]');
  assert.equal(res.status, 202);
  assert.equal(res.headers.get('retry-after'), '10');
  const body = (await res.json()) as Record<string, string>;
  assert.deepEqual(Object.keys(body).sort(), PAYLOAD_KEYS);
  assert.equal(body.id, 'mgmt-start-1');
  assert.equal(res.headers.get('location'), body.statusQueryGetUri);
  assert.equal(
    body.statusQueryGetUri,
    `${t.host.url}/runtime/webhooks/durabletask/instances/mgmt-start-1?taskHub=FixtureHub&connection=Storage&code=${t.host.keys.system}`,
  );
  assert.match(
    body.sendEventPostUri ?? '',
    /\/instances\/mgmt-start-1\/raiseEvent\/\{eventName\}\?taskHub=FixtureHub&connection=Storage&code=/,
  );
  assert.match(body.terminatePostUri ?? '', /\/terminate\?reason=\{text\}&taskHub=/);
  const status = await waitForEnd(t, 'mgmt-start-1');
  assert.deepEqual(status.output, ['hello q']);
});

test('start without an id generates one', async () => {
  const res = await post('/orchestrators/sequence', '[]');
  assert.equal(res.status, 202);
  assert.match(((await res.json()) as { id: string }).id, /^[0-9a-f]{32}$/);
});

test('start rejects an unknown function, a body that is not JSON and a bad instance id with 400', async () => {
  assert.equal((await post('/orchestrators/noSuchOrchestrator', '1')).status, 400);
  assert.equal((await post('/orchestrators/double', '1')).status, 400, 'an activity is not an orchestrator');
  assert.equal((await post('/orchestrators/sequence/x', '{not json')).status, 400);
  assert.equal((await post('/orchestrators/sequence/bad%23id', '[]')).status, 400);
});

test('start of an id that is still running answers 409', async () => {
  await startInstance(t, 'approval', undefined, 'mgmt-dup');
  assert.equal((await post('/orchestrators/approval/mgmt-dup')).status, 409);
  await post('/instances/mgmt-dup/terminate?reason=cleanup');
});

test('status of a running instance is 202 with Location and Retry-After 5, of a completed one 200', async () => {
  const id = await startInstance(t, 'approval', { note: 'in' }, 'mgmt-status');
  await waitRunning(id);
  const running = await t.mgmt(`/instances/${id}`);
  assert.equal(running.status, 202);
  assert.equal(running.headers.get('retry-after'), '5');
  assert.match(
    running.headers.get('location') ?? '',
    /\/runtime\/webhooks\/durabletask\/instances\/mgmt-status\?taskHub=FixtureHub/,
  );
  const body = (await running.json()) as StatusBody;
  assert.deepEqual(Object.keys(body).sort(), [
    'createdTime',
    'customStatus',
    'input',
    'instanceId',
    'lastUpdatedTime',
    'name',
    'output',
    'runtimeStatus',
  ]);
  assert.equal(body.name, 'approval');
  assert.deepEqual(body.input, { note: 'in' });
  assert.deepEqual(body.customStatus, { stage: 'waiting' });
  assert.match(body.createdTime, ISO_SECONDS);
  assert.match(body.lastUpdatedTime, ISO_SECONDS);

  const hidden = (await (await t.mgmt(`/instances/${id}?showInput=false`)).json()) as StatusBody;
  assert.equal(hidden.input, null);

  await post(`/instances/${id}/raiseEvent/approve`, '{"by":"a"}');
  await waitForStatus(t, id, (s) => (s.customStatus as { stage: string }).stage === 'approved');
  await post(`/instances/${id}/raiseEvent/approve`, '{"by":"b"}');
  await waitForEnd(t, id);
  const done = await t.mgmt(`/instances/${id}`);
  assert.equal(done.status, 200);
  assert.equal(done.headers.get('retry-after'), null);
});

test('status of an unknown instance is 404', async () => {
  assert.equal((await t.mgmt('/instances/nobody-here')).status, 404);
});

test('a failed instance answers 200, or 500 with returnInternalServerErrorOnFailure', async () => {
  const id = await startInstance(t, 'thrower', undefined, 'mgmt-failed');
  await waitForEnd(t, id);
  assert.equal((await t.mgmt(`/instances/${id}`)).status, 200);
  assert.equal((await t.mgmt(`/instances/${id}?returnInternalServerErrorOnFailure=true`)).status, 500);
});

test('showHistory lists named events with function names; showHistoryOutput adds results', async () => {
  const id = await startInstance(t, 'sequence', ['h'], 'mgmt-history');
  await waitForEnd(t, id);
  const plain = (await (await t.mgmt(`/instances/${id}?showHistory=true`)).json()) as StatusBody;
  const types = plain.historyEvents?.map((e) => e.EventType);
  assert.deepEqual(types, ['ExecutionStarted', 'TaskCompleted', 'ExecutionCompleted']);
  const completed = plain.historyEvents?.[1] ?? {};
  assert.equal(completed.FunctionName, 'say');
  assert.match(String(completed.ScheduledTime), /Z$/);
  assert.equal(completed.Result, undefined);
  const full = (await (
    await t.mgmt(`/instances/${id}?showHistory=true&showHistoryOutput=true`)
  ).json()) as StatusBody;
  assert.equal(full.historyEvents?.[1]?.Result, 'hello h');
  assert.equal(full.historyEvents?.[0]?.FunctionName, 'sequence');
});

test('history pages with the non-standard historyOffset and historyLimit parameters', async () => {
  const id = await startInstance(t, 'fanOutAll', 20, 'mgmt-history-page');
  await waitForEnd(t, id);
  const all = (await (await t.mgmt(`/instances/${id}?showHistory=true`)).json()) as StatusBody;
  const page = (await (
    await t.mgmt(`/instances/${id}?showHistory=true&historyOffset=5&historyLimit=3`)
  ).json()) as StatusBody;
  assert.equal(all.historyEvents?.length, 22);
  assert.deepEqual(page.historyEvents, all.historyEvents?.slice(5, 8));
});

test('list filters by status, id prefix and creation time and pages with x-ms-continuation-token', async () => {
  const from = new Date(Date.now() - 1000).toISOString();
  const ids = ['list-a1', 'list-a2', 'list-a3', 'list-a4', 'list-a5'];
  for (const id of ids) await startInstance(t, 'sequence', [], id);
  for (const id of ids) await waitForEnd(t, id);

  const seen: string[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const res: Response = await t.mgmt(
      `/instances?instanceIdPrefix=list-a&top=2&createdTimeFrom=${from}&runtimeStatus=Completed,Failed`,
      {
        ...(token ? { headers: { 'x-ms-continuation-token': token } } : {}),
      },
    );
    assert.equal(res.status, 200);
    const page = (await res.json()) as StatusBody[];
    assert.ok(page.length <= 2);
    seen.push(...page.map((s) => s.instanceId));
    token = res.headers.get('x-ms-continuation-token');
    pages++;
  } while (token);
  assert.deepEqual(seen.sort(), ids);
  assert.ok(pages >= 3);

  const running = (await (
    await t.mgmt('/instances?instanceIdPrefix=list-a&runtimeStatus=Running')
  ).json()) as StatusBody[];
  assert.deepEqual(running, []);
  const future = (await (
    await t.mgmt(
      `/instances?instanceIdPrefix=list-a&createdTimeFrom=${new Date(Date.now() + 60_000).toISOString()}`,
    )
  ).json()) as StatusBody[];
  assert.deepEqual(future, []);
  const before = (await (
    await t.mgmt(`/instances?instanceIdPrefix=list-a&createdTimeTo=${from}`)
  ).json()) as StatusBody[];
  assert.deepEqual(before, []);
  const noInput = (await (
    await t.mgmt('/instances?instanceIdPrefix=list-a1&showInput=false')
  ).json()) as StatusBody[];
  assert.equal(noInput[0]?.input, null);
  assert.equal((await t.mgmt('/instances?runtimeStatus=Sleeping')).status, 400);
});

test('purge of one instance answers 200 with instancesDeleted 1, then 404', async () => {
  const id = await startInstance(t, 'sequence', [], 'purge-one');
  await waitForEnd(t, id);
  const res = await t.mgmt(`/instances/${id}`, { method: 'DELETE' });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { instancesDeleted: 1 });
  assert.equal((await t.mgmt(`/instances/${id}`)).status, 404);
  assert.equal((await t.mgmt(`/instances/${id}`, { method: 'DELETE' })).status, 404);
});

test('purge by filter needs createdTimeFrom, deletes the matching ended instances, and 404s when none match', async () => {
  assert.equal((await t.mgmt('/instances', { method: 'DELETE' })).status, 400);
  const from = new Date(Date.now() - 1000).toISOString();
  for (const id of ['purge-f1', 'purge-f2'])
    await waitForEnd(t, await startInstance(t, 'thrower', undefined, id));
  const res = await t.mgmt(`/instances?createdTimeFrom=${from}&runtimeStatus=Failed`, { method: 'DELETE' });
  assert.equal(res.status, 200);
  const deleted = ((await res.json()) as { instancesDeleted: number }).instancesDeleted;
  assert.ok(deleted >= 2);
  assert.equal((await t.mgmt('/instances/purge-f1')).status, 404);
  const none = await t.mgmt(`/instances?createdTimeFrom=${from}&runtimeStatus=Failed`, { method: 'DELETE' });
  assert.equal(none.status, 404);
});

test('raise event answers 202, 400 for bad JSON, 404 for an unknown instance and 410 after the end', async () => {
  const id = await startInstance(t, 'approval', undefined, 'raise-1');
  await waitRunning(id);
  assert.equal((await post(`/instances/${id}/raiseEvent/approve`, '{bad')).status, 400);
  assert.equal((await post(`/instances/${id}/raiseEvent/approve`, '{"by":"x"}')).status, 202);
  assert.equal((await post('/instances/raise-nobody/raiseEvent/approve', '{}')).status, 404);
  await post(`/instances/${id}/terminate?reason=done`);
  await waitForEnd(t, id);
  assert.equal((await post(`/instances/${id}/raiseEvent/approve`, '{}')).status, 410);
});

test('terminate, suspend and resume answer 202, 404 and 410 and change the status', async () => {
  const id = await startInstance(t, 'approval', undefined, 'control-1');
  await waitRunning(id);
  assert.equal((await post(`/instances/${id}/suspend?reason=hold`)).status, 202);
  await waitForStatus(t, id, (s) => s.runtimeStatus === 'Suspended');
  assert.equal((await post(`/instances/${id}/resume?reason=go`)).status, 202);
  await waitRunning(id);
  assert.equal((await post(`/instances/${id}/terminate?reason=enough`)).status, 202);
  const ended = await waitForEnd(t, id);
  assert.equal(ended.runtimeStatus, 'Terminated');
  assert.equal(ended.output, 'enough');
  for (const verb of ['terminate', 'suspend', 'resume']) {
    assert.equal((await post(`/instances/${id}/${verb}`)).status, 410, verb);
    assert.equal((await post(`/instances/control-nobody/${verb}`)).status, 404, verb);
  }
});

test('restart starts the same input again under a new id by default, or under the same id', async () => {
  const id = await startInstance(t, 'sequence', ['r'], 'restart-1');
  await waitForEnd(t, id);
  const fresh = await post(`/instances/${id}/restart`);
  assert.equal(fresh.status, 202);
  const newId = ((await fresh.json()) as { id: string }).id;
  assert.notEqual(newId, id);
  assert.deepEqual((await waitForEnd(t, newId)).output, ['hello r']);

  const same = await post(`/instances/${id}/restart?restartWithNewInstanceId=false`);
  assert.equal(same.status, 202);
  assert.equal(((await same.json()) as { id: string }).id, id);
  assert.equal((await waitForEnd(t, id)).runtimeStatus, 'Completed');
  assert.equal((await post('/instances/restart-nobody/restart')).status, 404);
});

test('rewind answers 404 for an unknown instance, 410 for one that did not fail, 501 otherwise', async () => {
  assert.equal((await post('/instances/rewind-nobody/rewind?reason=x')).status, 404);
  await waitForEnd(t, await startInstance(t, 'sequence', [], 'rewind-ok'));
  assert.equal((await post('/instances/rewind-ok/rewind?reason=x')).status, 410);
  await waitForEnd(t, await startInstance(t, 'thrower', undefined, 'rewind-failed'));
  assert.equal((await post('/instances/rewind-failed/rewind?reason=x')).status, 501);
});

test('start with timeout waits for the result and answers 200 with the output', async () => {
  const res = await post('/orchestrators/sequence/mgmt-wait?timeout=20', '["w"]');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), ['hello w']);
});

test('the key-less client RPC API refuses requests forwarded by a proxy', async () => {
  const direct = await fetch(`${t.host.url}/durabletask/instances/`);
  assert.equal(direct.status, 200);
  await direct.body?.cancel();
  const forwarded = await fetch(`${t.host.url}/durabletask/instances/`, {
    headers: { 'x-forwarded-for': '10.0.0.1' },
  });
  assert.equal(forwarded.status, 404);
});
