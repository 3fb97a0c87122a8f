import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { processItem } from '../../worker-app/src/functions/process-item.js';
import { requestFingerprint } from '../../worker-app/src/jobs/run-once.js';
import { IdempotencyLedger } from '../../worker-app/src/store/idempotency-ledger.js';
import type { Tables } from '../../worker-app/src/store/tables.js';
import {
  CALLER_APP_ID,
  authHeaders,
  bodyOf,
  headerOf,
  processRequest,
  testContext,
  useSettings,
  useTestStore,
} from './helpers.js';

let tables: Tables;

async function call(key: string, itemId: string, body: Record<string, unknown>, job = 'statements') {
  const { context, events } = testContext('processItem');
  const request = processRequest(job, itemId, body, { ...authHeaders(), 'idempotency-key': key });
  const response = await processItem(request, context);
  return { response, body: bodyOf(response), events };
}

async function statementEtag(accountId: string, period: string): Promise<string> {
  return (await tables.statements.getEntity(accountId, period)).etag;
}

useTestStore((store) => {
  tables = store.tables();
  useSettings({
    WORKER_STORAGE: store.connectionString,
    WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
    WORKER_DEMO_ACCOUNTS: '10',
    WORKER_BENCH_ENABLED: 'true',
  });
});

describe('Idempotency-Key', () => {
  test('a repeat with the same request returns the stored answer, marked as a replay, with no second effect', async () => {
    const first = await call('run-7/acct-000001', 'acct-000001', { runId: 'run-7', period: '2026-10' });
    assert.equal(first.response.status, 200);
    const etag = await statementEtag('acct-000001', '2026-10');

    const second = await call('run-7/acct-000001', 'acct-000001', { runId: 'run-7', period: '2026-10' });

    assert.equal(second.response.status, 200);
    assert.equal(headerOf(second.response, 'idempotent-replayed'), 'true');
    assert.deepEqual(second.body, { ...first.body, replayed: true });
    assert.equal(await statementEtag('acct-000001', '2026-10'), etag);
    assert.deepEqual(
      second.events.map((e) => e.event),
      ['item.replayed'],
    );
  });

  const changes: [string, Record<string, unknown>, string, string][] = [
    ['a different runId', { runId: 'run-8', period: '2026-10' }, 'acct-000002', 'statements'],
    ['a different period', { runId: 'run-7', period: '2026-09' }, 'acct-000002', 'statements'],
    ['a different item', { runId: 'run-7', period: '2026-10' }, 'acct-000003', 'statements'],
  ];
  for (const [name, body, itemId, job] of changes) {
    test(`the same key with ${name} is refused with 422 and changes nothing`, async () => {
      const key = `reuse-${name}`;
      await call(key, 'acct-000002', { runId: 'run-7', period: '2026-10' });
      const etag = await statementEtag('acct-000002', '2026-10');

      const reused = await call(key, itemId, body, job);

      assert.equal(reused.response.status, 422);
      assert.equal(reused.body.type, 'urn:batch-worker:problem:idempotency-key-reused');
      assert.equal(await statementEtag('acct-000002', '2026-10'), etag);
      await assert.rejects(tables.statements.getEntity('acct-000003', '2026-10'), { statusCode: 404 });
      await assert.rejects(tables.statements.getEntity('acct-000002', '2026-09'), { statusCode: 404 });
    });
  }

  test('concurrent calls with one key produce exactly one effect and one answer', async () => {
    const calls = await Promise.all(
      Array.from({ length: 6 }, () =>
        call('run-9/acct-000004', 'acct-000004', { runId: 'run-9', period: '2026-08' }),
      ),
    );

    assert.ok(calls.every((c) => c.response.status === 200));
    const events = calls.flatMap((c) => c.events.map((e) => e.event));
    assert.equal(events.filter((e) => e === 'item.processed').length, 1);
    assert.equal(events.filter((e) => e === 'item.replayed').length, 5);
    assert.equal(calls.filter((c) => c.body.replayed === false).length, 1);
    assert.equal(new Set(calls.map((c) => c.body.processedAt)).size, 1);
    const stored = await tables.statements.getEntity<{ processedAt: string }>('acct-000004', '2026-08');
    assert.equal(stored.processedAt, calls[0]?.body.processedAt);
  });

  test('a call whose key is held by a live claim gets 429 with Retry-After and writes nothing', async () => {
    const ledger = new IdempotencyLedger(tables.idempotency);
    const request = {
      job: 'statements',
      itemId: 'acct-000005',
      runId: 'run-10',
      period: '2026-08',
      idempotencyKey: 'held-key',
      callerAppId: CALLER_APP_ID,
    };
    await ledger.claim('held-key', requestFingerprint(request), new Date(Date.now() + 60_000));

    const waiting = await call('held-key', 'acct-000005', { runId: 'run-10', period: '2026-08' });

    assert.equal(waiting.response.status, 429);
    assert.equal(headerOf(waiting.response, 'retry-after'), '1');
    assert.equal(waiting.body.type, 'urn:batch-worker:problem:idempotency-key-in-progress');
    assert.ok(waiting.events.some((e) => e.event === 'item.in-progress'));
    await assert.rejects(tables.statements.getEntity('acct-000005', '2026-08'), { statusCode: 404 });
  });

  test('a claim whose owner died is taken over once its lease has ended', async () => {
    const ledger = new IdempotencyLedger(tables.idempotency);
    const request = {
      job: 'statements',
      itemId: 'acct-000006',
      runId: 'run-11',
      period: '2026-08',
      idempotencyKey: 'orphaned-key',
      callerAppId: CALLER_APP_ID,
    };
    await ledger.claim('orphaned-key', requestFingerprint(request), new Date(Date.now() - 1000));

    const taken = await call('orphaned-key', 'acct-000006', { runId: 'run-11', period: '2026-08' });

    assert.equal(taken.response.status, 200);
    assert.equal(taken.body.replayed, false);
    const record = await ledger.get('orphaned-key');
    assert.equal(record?.state, 'done');
    const again = await call('orphaned-key', 'acct-000006', { runId: 'run-11', period: '2026-08' });
    assert.equal(again.body.replayed, true);
  });

  test('a refused call (unknown item) claims no key, so the key still works for a valid request', async () => {
    const refused = await call('fresh-key', 'acct-000099', { runId: 'run-12', period: '2026-08' });
    assert.equal(refused.response.status, 404);
    assert.equal(await new IdempotencyLedger(tables.idempotency).get('fresh-key'), undefined);

    const valid = await call('fresh-key', 'acct-000007', { runId: 'run-12', period: '2026-08' });
    assert.equal(valid.response.status, 200);
    assert.equal(valid.body.replayed, false);
  });

  test('the bench job checks the key format but stores no record', async () => {
    const missing = processRequest('bench', 'b-000001', { runId: 'r', period: '2026-08' }, authHeaders());
    assert.equal((await processItem(missing, testContext().context)).status, 400);

    const first = await call('bench-key', 'b-000001', { runId: 'r', period: '2026-08' }, 'bench');
    const second = await call('bench-key', 'b-000001', { runId: 'r', period: '2026-08' }, 'bench');
    assert.equal(first.response.status, 200);
    assert.equal(second.body.replayed, false);
    assert.deepEqual(first.body.result, { echo: 'b-000001', latencyMs: 0 });
    assert.equal(await new IdempotencyLedger(tables.idempotency).get('bench-key'), undefined);
  });
});
