import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { processItem } from '../../worker-app/src/functions/process-item.js';
import {
  CALLER_APP_ID,
  authHeaders,
  bodyOf,
  headerOf,
  processRequest,
  testContext,
  useSettings,
} from './helpers.js';

const BODY = { runId: 'run-shed', period: '2026-11' };

function send(itemId: string, body: unknown = BODY, key = `shed/${itemId}`) {
  const { context, events } = testContext('processItem');
  const request = processRequest('bench', itemId, body, { ...authHeaders(), 'idempotency-key': key });
  return { answer: processItem(request, context), events };
}

describe('load shedding', () => {
  test('answers 429 with Retry-After beyond WORKER_MAX_CONCURRENT calls in flight', async () => {
    useSettings({
      WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
      WORKER_BENCH_ENABLED: 'true',
      WORKER_BENCH_LATENCY_MS: '200',
      WORKER_MAX_CONCURRENT: '2',
    });

    // The first two hold both slots until their latency has passed; the slot is taken synchronously
    // when a call starts, so the third is over the limit whatever the scheduling.
    const running = [send('b-000001'), send('b-000002')];
    const shed = send('b-000003');
    const shedAnswer = await shed.answer;

    assert.equal(shedAnswer.status, 429);
    assert.equal(headerOf(shedAnswer, 'retry-after'), '1');
    assert.equal(bodyOf(shedAnswer).type, 'urn:batch-worker:problem:overloaded');
    assert.deepEqual(
      shed.events.map((e) => [e.event, e.properties.itemId, e.properties.limit]),
      [['load.shed', 'b-000003', 2]],
    );

    const answers = await Promise.all(running.map((r) => r.answer));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200],
    );

    const after = await send('b-000003').answer;
    assert.equal(after.status, 200);
  });

  test('sheds before reading the body, so a shed call is not judged on its input', async () => {
    useSettings({
      WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
      WORKER_BENCH_ENABLED: 'true',
      WORKER_BENCH_LATENCY_MS: '100',
      WORKER_MAX_CONCURRENT: '1',
    });
    const running = send('b-000001');
    const shed = await send('b-000002', 'not json').answer;
    assert.equal(shed.status, 429);
    assert.equal((await running.answer).status, 200);
  });

  test('frees the slot of a call that failed', async () => {
    useSettings({
      WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
      WORKER_BENCH_ENABLED: 'true',
      WORKER_MAX_CONCURRENT: '1',
    });
    assert.equal((await send('b-000001', 'not json').answer).status, 400);
    assert.equal((await send('b-999999').answer).status, 404);
    assert.equal((await send('b-000001').answer).status, 200);
  });

  test('refuses unauthenticated calls with 401 before they can take a slot', async () => {
    useSettings({
      WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
      WORKER_BENCH_ENABLED: 'true',
      WORKER_MAX_CONCURRENT: '1',
    });
    const { context } = testContext();
    const request = processRequest('bench', 'b-000001', BODY, { 'idempotency-key': 'k' });
    assert.equal((await processItem(request, context)).status, 401);
    assert.equal((await send('b-000001').answer).status, 200);
  });
});
