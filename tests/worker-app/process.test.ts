import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';

import { listItems } from '../../worker-app/src/functions/list-items.js';
import { processItem } from '../../worker-app/src/functions/process-item.js';
import { generateAccount } from '../../worker-app/src/jobs/statements/demo-data.js';
import { type Statement, computeStatement } from '../../worker-app/src/jobs/statements/statement.js';
import type { Tables } from '../../worker-app/src/store/tables.js';
import {
  CALLER_APP_ID,
  authHeaders,
  bodyOf,
  deadStoreConnectionString,
  headerOf,
  listRequest,
  processRequest,
  testContext,
  useSettings,
  useTestStore,
} from './helpers.js';

const ACCOUNTS = 12;
let tables: Tables;
const store = useTestStore((started) => {
  tables = started.tables();
});
let keyCounter = 0;

function settings(extra: Record<string, string> = {}): void {
  useSettings({
    WORKER_STORAGE: store.connectionString,
    WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
    WORKER_DEMO_ACCOUNTS: String(ACCOUNTS),
    ...extra,
  });
}

async function call(
  itemId: string,
  body: unknown,
  options: { job?: string; key?: string | null; headers?: Record<string, string> } = {},
) {
  const key = options.key === undefined ? `test-key-${(keyCounter += 1)}` : options.key;
  const headers = {
    ...authHeaders(),
    ...(key === null ? {} : { 'idempotency-key': key }),
    ...options.headers,
  };
  const { context, events } = testContext('processItem');
  const response = await processItem(
    processRequest(options.job ?? 'statements', itemId, body, headers),
    context,
  );
  return { response, body: bodyOf(response), events };
}

async function count(table: keyof Tables): Promise<number> {
  let n = 0;
  for await (const _ of tables[table].listEntities()) n += 1;
  return n;
}

describe('processing a statement', () => {
  test('computes the statement from the ledger and stores one row per account and period', async () => {
    settings();
    const { response, body, events } = await call('acct-000003', { runId: 'run-1', period: '2026-06' });
    assert.equal(response.status, 200);
    const { account, entries } = generateAccount(3);
    const expected = computeStatement(account, '2026-06', entries);
    assert.deepEqual(body.result, expected);
    assert.equal(body.replayed, false);
    assert.equal(headerOf(response, 'idempotent-replayed'), undefined);
    assert.deepEqual(
      { job: body.job, itemId: body.itemId, period: body.period, runId: body.runId },
      { job: 'statements', itemId: 'acct-000003', period: '2026-06', runId: 'run-1' },
    );

    const stored = await tables.statements.getEntity<Record<string, unknown>>('acct-000003', '2026-06');
    assert.equal(stored.closingBalance, expected.closingBalance);
    assert.equal(stored.runId, 'run-1');
    const processed = events.find((e) => e.event === 'item.processed');
    assert.deepEqual(processed?.properties, {
      job: 'statements',
      itemId: 'acct-000003',
      callerAppId: CALLER_APP_ID,
      runId: 'run-1',
    });
  });

  test('gives totals that add up: each closing balance is the next opening balance', async () => {
    settings();
    const periods = ['2025-12', '2026-01', '2026-02', '2026-07', '2026-12', '2027-01'];
    const results: Statement[] = [];
    for (const period of periods) {
      const { body } = await call('acct-000005', { runId: 'run-chain', period });
      results.push(body.result as Statement);
    }
    const initial = generateAccount(5).account.initialBalance;
    assert.equal(results[0]?.openingBalance, initial);
    assert.equal(results[0]?.entryCount, 0);
    assert.equal(results[1]?.openingBalance, initial);
    assert.equal(results[2]?.openingBalance, results[1]?.closingBalance);
    assert.equal(results[5]?.openingBalance, results[4]?.closingBalance);
    for (const result of results) {
      assert.equal(result.closingBalance, result.openingBalance + result.credits - result.debits);
    }
    const entries = generateAccount(5).entries;
    const total = results.slice(1, 5).reduce((n, r) => n + r.entryCount, 0);
    assert.ok(total <= entries.length && total > 0);
  });

  test('processes every listed account of a run, one statement each', async () => {
    settings();
    const { context } = testContext();
    const listed = bodyOf(await listItems(listRequest('statements', { limit: '1000' }), context));
    const ids = (listed.items as { id: string }[]).map((item) => item.id);
    assert.equal(ids.length, ACCOUNTS);
    const answers = await Promise.all(
      ids.map((id) => call(id, { runId: 'run-all', period: '2026-11' }, { key: `run-all/${id}` })),
    );
    assert.ok(answers.every((a) => a.response.status === 200));
    let stored = 0;
    for await (const _ of tables.statements.listEntities({ queryOptions: { filter: "RowKey eq '2026-11'" } }))
      stored += 1;
    assert.equal(stored, ACCOUNTS);
  });
});

describe('bad input is refused and nothing is written', () => {
  const cases: [string, () => ReturnType<typeof call>, number, string][] = [
    ['an unknown item', () => call('acct-000999', { runId: 'r', period: '2026-11' }), 404, 'unknown-item'],
    [
      'an item id of the wrong shape',
      () => call('bogus', { runId: 'r', period: '2026-11' }),
      404,
      'unknown-item',
    ],
    [
      'an unknown job',
      () => call('acct-000001', { runId: 'r', period: '2026-11' }, { job: 'nope' }),
      404,
      'unknown-job',
    ],
    ['a month 13', () => call('acct-000001', { runId: 'r', period: '2026-13' }), 422, 'invalid-body'],
    [
      'a period without padding',
      () => call('acct-000001', { runId: 'r', period: '2026-1' }),
      422,
      'invalid-body',
    ],
    ['a missing period', () => call('acct-000001', { runId: 'r' }), 422, 'invalid-body'],
    ['a missing runId', () => call('acct-000001', { period: '2026-11' }), 422, 'invalid-body'],
    [
      'a runId with spaces',
      () => call('acct-000001', { runId: 'a b', period: '2026-11' }),
      422,
      'invalid-body',
    ],
    ['a JSON array body', () => call('acct-000001', [1]), 422, 'invalid-body'],
    ['a body that is not JSON', () => call('acct-000001', '{"runId":'), 400, 'body-not-json'],
    ['an empty body', () => call('acct-000001', ''), 400, 'body-not-json'],
    [
      'a body over 64 KiB',
      () => call('acct-000001', { runId: 'r', period: '2026-11', pad: 'x'.repeat(70_000) }),
      400,
      'body-too-large',
    ],
    [
      'no Idempotency-Key',
      () => call('acct-000001', { runId: 'r', period: '2026-11' }, { key: null }),
      400,
      'bad-idempotency-key',
    ],
    [
      'an Idempotency-Key over 200 characters',
      () => call('acct-000001', { runId: 'r', period: '2026-11' }, { key: 'k'.repeat(201) }),
      400,
      'bad-idempotency-key',
    ],
    [
      'an Idempotency-Key with a control character',
      () => call('acct-000001', { runId: 'r', period: '2026-11' }, { key: 'abc\u0007def' }),
      400,
      'bad-idempotency-key',
    ],
  ];

  for (const [name, send, status, slug] of cases) {
    test(`answers ${status} ${slug} for ${name}`, async () => {
      settings();
      await call('acct-000001', { runId: 'warm-up', period: '2026-01' });
      const before = { records: await count('idempotency'), statements: await count('statements') };

      const { response, body, events } = await send();

      assert.equal(response.status, status);
      assert.equal(headerOf(response, 'content-type'), 'application/problem+json');
      assert.equal(body.type, `urn:batch-worker:problem:${slug}`);
      assert.equal(body.status, status);
      assert.equal(typeof body.detail, 'string');
      assert.deepEqual(
        { records: await count('idempotency'), statements: await count('statements') },
        before,
      );
      assert.ok(events.some((e) => e.event === 'item.rejected' && e.properties.problem === slug));
    });
  }

  test('names the offending field', async () => {
    settings();
    const { body } = await call('acct-000001', { runId: 'r', period: 'November' });
    assert.equal(body.field, 'period');
    assert.match(String(body.detail), /November/);
  });
});

describe('store outages', () => {
  test('answer 503 with Retry-After when Table Storage refuses connections', async () => {
    useSettings({ WORKER_STORAGE: await deadStoreConnectionString(), WORKER_ALLOWED_CALLERS: CALLER_APP_ID });
    const processed = await call('acct-000001', { runId: 'r', period: '2026-11' });
    assert.equal(processed.response.status, 503);
    assert.equal(headerOf(processed.response, 'retry-after'), '5');
    assert.equal(processed.body.type, 'urn:batch-worker:problem:store-unavailable');
    assert.ok(processed.events.some((e) => e.event === 'store.unavailable'));

    const { context } = testContext();
    const listed = await listItems(listRequest('statements'), context);
    assert.equal(listed.status, 503);
    assert.equal(headerOf(listed, 'retry-after'), '5');
  });
});

describe('store failures', () => {
  test('answer 503 with Retry-After when Table Storage answers 5xx', async () => {
    let requests = 0;
    const busy = createServer((_request, response) => {
      requests += 1;
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ 'odata.error': { code: 'ServerBusy', message: { value: 'busy' } } }));
    });
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = busy.address() as AddressInfo;
      const key = Buffer.alloc(64, 3).toString('base64');
      useSettings({
        WORKER_STORAGE: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
        WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
      });
      const { response, body, events } = await call('acct-000001', { runId: 'r', period: '2026-11' });
      assert.equal(response.status, 503);
      assert.equal(headerOf(response, 'retry-after'), '5');
      assert.equal(body.type, 'urn:batch-worker:problem:store-unavailable');
      assert.ok(requests >= 1);
      assert.ok(events.some((e) => e.event === 'store.unavailable'));
    } finally {
      busy.closeAllConnections();
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});

describe('logs', () => {
  test('never contain the principal header or the bearer token of a request', async () => {
    settings();
    const principal = authHeaders()['x-ms-client-principal'] ?? '';
    const headers = { ...authHeaders(), authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.secret-token.sig' };
    const outcomes = [
      await call('acct-000002', { runId: 'r-logs', period: '2026-03' }, { headers }),
      await call('acct-000002', { runId: 'r-logs', period: 'bad' }, { headers }),
      await call(
        'acct-000002',
        { runId: 'r-logs', period: '2026-03' },
        { headers: { ...headers, 'x-ms-client-principal': 'garbage' } },
      ),
    ];
    const logged = outcomes.flatMap((o) => o.events.map((e) => e.raw)).join('\n');
    assert.ok(logged.length > 0);
    assert.ok(!logged.includes('secret-token'));
    assert.ok(principal.length > 0 && !logged.includes(principal));
    assert.ok(!logged.includes('garbage'));
  });
});
