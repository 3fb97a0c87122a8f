// The list's time histogram: equal buckets over the window, counted by status tone.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { histogram } from '../../devhost/dashboard-ui/src/data/histogram.js';
import { normalizeInstance } from '../../devhost/dashboard-ui/src/data/instance.js';

const rows = [
  { instanceId: 'a', runtimeStatus: 'Failed', createdTime: '2026-12-01T00:00:00Z' },
  { instanceId: 'b', runtimeStatus: 'Completed', createdTime: '2026-12-01T00:00:30Z' },
  { instanceId: 'c', runtimeStatus: 'Running', createdTime: '2026-12-01T00:59:59Z' },
  { instanceId: 'd', runtimeStatus: 'Running', createdTime: '2026-11-30T00:00:00Z' },
].map((r) => normalizeInstance(r)!);

test('rows fall into equal buckets over the window and outside rows are left out', () => {
  const from = Date.parse('2026-12-01T00:00:00Z');
  const buckets = histogram(rows, 4, from, from + 3_600_000);
  assert.deepEqual(
    buckets.map((b) => b.total),
    [2, 0, 0, 1],
  );
  assert.deepEqual(buckets[0]?.byTone, { danger: 1, success: 1 });
  assert.equal(buckets[3]?.end, from + 3_600_000);
});

test('without a window the rows span the buckets', () => {
  const buckets = histogram(rows, 2);
  assert.equal(
    buckets.reduce((n, b) => n + b.total, 0),
    4,
  );
  assert.equal(buckets[0]?.start, Date.parse('2026-11-30T00:00:00Z'));
});

test('no rows, no buckets', () => {
  assert.deepEqual(histogram([], 10), []);
});
