import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ChaosSpecError } from '../../../devhost/src/easyauth/index.js';
import { type Harness, startHarness } from './harness.js';

const CALLS = 400;
const SPEC = { throttleRate: 0.3, unavailableRate: 0.05, resetRate: 0.02, seed: 7 };

let h: Harness;
let token: string;

before(async () => {
  h = await startHarness('worker');
  token = await h.miToken('worker');
});

after(async () => {
  h.proxy.setChaos(null);
  await h.close();
});

async function call(path: string, auth: boolean): Promise<number | 'reset'> {
  try {
    const res = await fetch(`${h.proxy.url}${path}`, {
      method: 'POST',
      headers: auth ? { authorization: `Bearer ${token}` } : {},
      body: '{"runId":"r","period":"2026-01"}',
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 'reset';
  }
}

test('the chaos switch answers 429, 503 or resets shares of authenticated calls and counts them', async () => {
  h.proxy.setChaos(SPEC);
  const before = h.upstream.seen.length;
  const outcomes: (number | 'reset')[] = [];
  for (let i = 0; i < CALLS; i += 1)
    outcomes.push(await call('/api/jobs/bench/items/b-000001/process', true));
  h.proxy.setChaos(null);

  const stats = h.proxy.chaosStats();
  const count = (value: number | 'reset'): number => outcomes.filter((o) => o === value).length;
  assert.equal(stats.seen, CALLS);
  assert.equal(count(429), stats.throttled);
  assert.equal(count(503), stats.unavailable);
  assert.equal(count('reset'), stats.reset);
  assert.equal(count(200), CALLS - stats.throttled - stats.unavailable - stats.reset);
  assert.equal(h.upstream.seen.length - before, count(200), 'only calls let through reach the app');
  assert.ok(stats.throttled > CALLS * 0.2 && stats.throttled < CALLS * 0.4, `throttled ${stats.throttled}`);
  assert.ok(stats.unavailable > 0 && stats.reset > 0, JSON.stringify(stats));
});

test('chaos never replaces the answer to a caller without a token', async () => {
  h.proxy.setChaos({ throttleRate: 1, unavailableRate: 0, resetRate: 0 });
  try {
    assert.equal(await call('/api/jobs/bench/items', false), 401);
  } finally {
    h.proxy.setChaos(null);
  }
});

test('a 429 from the chaos switch is problem+json with Retry-After', async () => {
  h.proxy.setChaos({ throttleRate: 1, unavailableRate: 0, resetRate: 0, retryAfterSeconds: 2 });
  try {
    const res = await fetch(`${h.proxy.url}/api/jobs/bench/items`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2');
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await res.json()) as { status: number }).status, 429);
  } finally {
    h.proxy.setChaos(null);
  }
});

test('rates outside 0..1 or adding up to more than 1 are refused', () => {
  assert.throws(
    () => h.proxy.setChaos({ throttleRate: 1.5, unavailableRate: 0, resetRate: 0 }),
    ChaosSpecError,
  );
  assert.throws(
    () => h.proxy.setChaos({ throttleRate: 0.6, unavailableRate: 0.6, resetRate: 0 }),
    ChaosSpecError,
  );
});
