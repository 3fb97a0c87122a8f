import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { listItems } from '../../worker-app/src/functions/list-items.js';
import { accountId, generateAccount } from '../../worker-app/src/jobs/statements/demo-data.js';
import { StatementsJob } from '../../worker-app/src/jobs/statements/statements-job.js';
import { CALLER_APP_ID, bodyOf, listRequest, testContext, useSettings, useTestStore } from './helpers.js';

const ACCOUNTS = 130;
const store = useTestStore();

function settings(extra: Record<string, string> = {}): void {
  useSettings({
    WORKER_STORAGE: store.connectionString,
    WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
    WORKER_DEMO_ACCOUNTS: String(ACCOUNTS),
    ...extra,
  });
}

async function list(job: string, query: Record<string, string> = {}) {
  const { context, events } = testContext();
  const response = await listItems(listRequest(job, query), context);
  return { response, body: bodyOf(response), events };
}

async function listAll(job: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const { response, body } = await list(job, { limit: String(limit), ...(cursor ? { cursor } : {}) });
    assert.equal(response.status, 200);
    ids.push(...(body.items as { id: string }[]).map((item) => item.id));
    cursor = body.nextCursor as string | null;
    pages += 1;
  } while (cursor !== null && pages < 100);
  return { ids, pages };
}

describe('demo data', () => {
  test('is the same on every generation', () => {
    assert.deepEqual(generateAccount(7), generateAccount(7));
    assert.notDeepEqual(generateAccount(7).entries, generateAccount(8).entries);
  });

  test('is seeded once when two instances start at the same time', async () => {
    const tables = store.tables();
    const first = new StatementsJob(store.tables(), ACCOUNTS);
    const second = new StatementsJob(tables, ACCOUNTS);
    const a = testContext();
    const b = testContext();

    const [pageA, pageB] = await Promise.all([
      first.listItems(undefined, 1000, a.context),
      second.listItems(undefined, 1000, b.context),
    ]);

    assert.equal(pageA.ids.length, ACCOUNTS);
    assert.deepEqual(pageA, pageB);
    let accounts = 0;
    for await (const _ of tables.accounts.listEntities()) accounts += 1;
    assert.equal(accounts, ACCOUNTS);
    let ledger = 0;
    for await (const _ of tables.ledger.listEntities()) ledger += 1;
    const expected = Array.from({ length: ACCOUNTS }, (_, i) => generateAccount(i + 1).entries.length);
    assert.equal(
      ledger,
      expected.reduce((sum, n) => sum + n, 0),
    );
  });

  test('resumes from the saved progress when the data set grows', async () => {
    const job = new StatementsJob(store.tables(), ACCOUNTS + 20);
    const { context, events } = testContext();
    const page = await job.listItems(accountId(ACCOUNTS - 1), 100, context);
    assert.deepEqual(
      page.ids,
      Array.from({ length: 21 }, (_, i) => accountId(ACCOUNTS + i)),
    );
    const seeding = events.find((e) => e.event === 'demo.seeding');
    assert.equal(seeding?.properties.from, ACCOUNTS + 1);
  });
});

describe('GET /api/jobs/{job}/items', () => {
  test('pages through every account exactly once, in order, ending with a null cursor', async () => {
    settings();
    const { ids, pages } = await listAll('statements', 50);
    assert.equal(pages, 3);
    assert.deepEqual(
      ids,
      Array.from({ length: ACCOUNTS }, (_, i) => accountId(i + 1)),
    );
  });

  test('answers the same page for the same cursor', async () => {
    settings();
    const first = await list('statements', { limit: '10' });
    const cursor = first.body.nextCursor as string;
    const again = await list('statements', { limit: '10', cursor });
    const twice = await list('statements', { limit: '10', cursor });
    assert.deepEqual(again.body, twice.body);
    assert.equal((again.body.items as { id: string }[])[0]?.id, accountId(11));
  });

  test('defaults to 100 items per page', async () => {
    settings();
    const { body } = await list('statements');
    assert.equal((body.items as unknown[]).length, 100);
    assert.equal(typeof body.nextCursor, 'string');
  });

  test('lists only the configured number of accounts even when more are stored', async () => {
    settings({ WORKER_DEMO_ACCOUNTS: '5' });
    const { body } = await list('statements', { limit: '1000' });
    assert.deepEqual(
      (body.items as { id: string }[]).map((item) => item.id),
      ['acct-000001', 'acct-000002', 'acct-000003', 'acct-000004', 'acct-000005'],
    );
    assert.equal(body.nextCursor, null);
  });

  for (const limit of ['0', '1001', 'abc', '1.5', '-1']) {
    test(`answers 400 bad-limit for limit=${limit}`, async () => {
      settings();
      const { response, body } = await list('statements', { limit });
      assert.equal(response.status, 400);
      assert.equal(body.type, 'urn:batch-worker:problem:bad-limit');
    });
  }

  const forged = {
    garbage: 'not a cursor!',
    'random base64url': Buffer.from('hello').toString('base64url'),
    'another job': Buffer.from(JSON.stringify({ v: 1, job: 'bench', after: 'acct-000001' })).toString(
      'base64url',
    ),
    'a forged id': Buffer.from(JSON.stringify({ v: 1, job: 'statements', after: "x' or 1 eq 1" })).toString(
      'base64url',
    ),
    'an unknown version': Buffer.from(
      JSON.stringify({ v: 2, job: 'statements', after: 'acct-000001' }),
    ).toString('base64url'),
    'an oversized token': 'A'.repeat(2000),
  };
  for (const [name, cursor] of Object.entries(forged)) {
    test(`answers 400 bad-cursor for ${name}`, async () => {
      settings();
      const { response, body } = await list('statements', { cursor });
      assert.equal(response.status, 400);
      assert.equal(body.type, 'urn:batch-worker:problem:bad-cursor');
      assert.equal(typeof body.detail, 'string');
    });
  }

  test('answers 404 for an unknown job', async () => {
    settings();
    const { response, body } = await list('invoices');
    assert.equal(response.status, 404);
    assert.equal(body.type, 'urn:batch-worker:problem:unknown-job');
  });

  test('hides the bench job unless WORKER_BENCH_ENABLED=true', async () => {
    settings();
    assert.equal((await list('bench')).response.status, 404);
    settings({ WORKER_BENCH_ENABLED: 'true', WORKER_BENCH_ITEMS: '5' });
    const { ids, pages } = await listAll('bench', 2);
    assert.deepEqual(ids, ['b-000001', 'b-000002', 'b-000003', 'b-000004', 'b-000005']);
    assert.equal(pages, 3);
  });

  test('answers 500 naming the setting when a setting is invalid', async () => {
    settings({ WORKER_MAX_CONCURRENT: 'lots' });
    const { response, body, events } = await list('statements');
    assert.equal(response.status, 500);
    assert.equal(body.setting, 'WORKER_MAX_CONCURRENT');
    assert.equal(events[0]?.event, 'settings.invalid');
  });

  test('answers 500 naming WORKER_STORAGE when the statements job has no store', async () => {
    useSettings({ WORKER_ALLOWED_CALLERS: CALLER_APP_ID });
    const { response, body } = await list('statements');
    assert.equal(response.status, 500);
    assert.equal(body.setting, 'WORKER_STORAGE');
  });
});
