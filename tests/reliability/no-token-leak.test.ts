// After a full run, no JWT-shaped string is anywhere a token must never be: log lines of every part,
// the run API's answers, and each orchestration's input, output, custom status and history events,
// as the management API shows them and as the durable store holds them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';

import type { RunStatus } from '../../devhost/src/operator/index.js';
import { type ReliableSystem, startReliableSystem } from './support/reliable-system.js';

const JWT_LIKE = /eyJ[\w-]+\.eyJ[\w-]+\./;
const ACCOUNTS = 60;

let r: ReliableSystem;
let run: RunStatus;
const answers: string[] = [];

before(async () => {
  r = await startReliableSystem({ demoAccounts: ACCOUNTS });
  const started = await r.runs.start({ job: 'statements', period: '2026-03', maxParallel: 8, chunkSize: 20 });
  answers.push(JSON.stringify(started));
  run = await r.waitForEnd(started.id, 300_000);
  answers.push(JSON.stringify(run), JSON.stringify(await r.runs.list()));
});

after(async () => {
  await r.stop();
});

function assertNoToken(text: string, where: string): void {
  const match = JWT_LIKE.exec(text);
  assert.equal(
    match,
    null,
    `a JWT-like string in ${where}: …${text.slice(Math.max(0, (match?.index ?? 0) - 80), (match?.index ?? 0) + 20)}`,
  );
}

test('the run completed and used real tokens', () => {
  assert.equal(run.status, 'completed', JSON.stringify(run));
  assert.equal(run.progress.succeeded, ACCOUNTS);
  assert.ok((r.system.identity?.stats().managedIdentityTokens ?? 0) >= 1);
});

test('no log line of the supervisor, identity, proxies or app hosts holds a JWT-like string', () => {
  assert.ok(r.system.records.length > ACCOUNTS, 'the logs were captured');
  for (const record of r.system.records) assertNoToken(JSON.stringify(record), `log record ${record.event}`);
});

test('no run API answer holds a JWT-like string', () => {
  for (const answer of answers) assertNoToken(answer, 'a run API answer');
});

test('no orchestration input, output, custom status or history event holds a JWT-like string', async () => {
  const { management } = r.system.urls;
  const code = `code=${r.system.keys.orchestrator.system}`;
  const list = (await (await fetch(`${management}/instances?top=1000&showInput=true&${code}`)).json()) as {
    instanceId: string;
  }[];
  assert.ok(list.length >= 2, 'the run and its chunks');
  for (const { instanceId } of list) {
    const url = `${management}/instances/${encodeURIComponent(instanceId)}?showHistory=true&showHistoryOutput=true&showInput=true&${code}`;
    assertNoToken(await (await fetch(url)).text(), `instance ${instanceId}`);
  }
});

test('no row of the durable store holds a JWT-like string', () => {
  const db = new DatabaseSync(join(r.system.dataDir, 'orchestrator', 'durable.sqlite'), { readOnly: true });
  try {
    for (const table of ['instances', 'history', 'messages', 'work_items', 'timers']) {
      for (const row of db.prepare(`SELECT * FROM ${table}`).all())
        assertNoToken(JSON.stringify(row), `store table ${table}`);
    }
  } finally {
    db.close();
  }
});
