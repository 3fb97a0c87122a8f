// The detail and run views' data layer: run progress, rate and ETA, failure samples, history spans
// for the Gantt timeline, routes and the run API's pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  buildSpans,
  childInstanceIds,
  normalizeHistory,
} from '../../devhost/dashboard-ui/src/data/history.js';
import {
  addSample,
  estimate,
  readFailureSample,
  readProgress,
} from '../../devhost/dashboard-ui/src/data/progress.js';
import { instanceHash, parseRoute } from '../../devhost/dashboard-ui/src/data/route.js';
import { buildRunsQuery, normalizeRunPage } from '../../devhost/dashboard-ui/src/data/runs.js';

test('run progress is read from custom status and percent derived when absent', () => {
  assert.deepEqual(
    readProgress({ progress: { total: 200, succeeded: 50, failed: 10, retries: 3, throttledWaits: 1 } }),
    {
      total: 200,
      succeeded: 50,
      failed: 10,
      skipped: 0,
      retries: 3,
      throttledWaits: 1,
      percent: 30,
    },
  );
  assert.equal(readProgress({ phase: 'listing' }), undefined);
  assert.equal(readProgress('text'), undefined);
});

test("the orchestrator's flat custom status gives progress, phase and failure sample", () => {
  const status = {
    phase: 'processing',
    total: 100,
    succeeded: 60,
    failed: 2,
    skipped: 3,
    retries: 1,
    throttledWaits: 0,
    sample: [{ itemId: 'acct-7', outcome: 'failed', status: 404, reason: 'no such account' }],
  };
  const progress = readProgress(status);
  assert.equal(progress?.percent, 65);
  assert.equal(progress?.phase, 'processing');
  assert.deepEqual(readFailureSample(status), {
    count: 5,
    sample: [{ itemId: 'acct-7', status: 404, reason: 'no such account' }],
  });
});

test('rate and ETA come from the sampled window', () => {
  const progress = readProgress({ progress: { total: 100, succeeded: 40, failed: 0 } })!;
  let samples = addSample([], { at: 0, done: 20 });
  samples = addSample(samples, { at: 10_000, done: 40 });
  const { ratePerSecond, etaSeconds } = estimate(samples, progress);
  assert.equal(ratePerSecond, 2);
  assert.equal(etaSeconds, 30);
  assert.deepEqual(estimate([{ at: 0, done: 0 }], progress), {});
});

test('the failure sample is read from the first source that has one', () => {
  const found = readFailureSample(undefined, {
    failures: { count: 7, sample: [{ itemId: 'a1', status: 422, reason: 'bad ledger' }, { nope: 1 }] },
  });
  assert.deepEqual(found, { count: 7, sample: [{ itemId: 'a1', status: 422, reason: 'bad ledger' }] });
  assert.equal(readFailureSample({}, null), undefined);
});

test('spans pair scheduled and completed events by id in the full event stream', () => {
  const events = normalizeHistory([
    { EventType: 'ExecutionStarted', Timestamp: '2026-12-01T00:00:00Z', EventId: -1 },
    { EventType: 'TaskScheduled', Name: 'processItem', EventId: 0, Timestamp: '2026-12-01T00:00:01Z' },
    { EventType: 'TaskScheduled', Name: 'processItem', EventId: 1, Timestamp: '2026-12-01T00:00:01Z' },
    {
      EventType: 'TimerCreated',
      EventId: 2,
      Timestamp: '2026-12-01T00:00:02Z',
      FireAt: '2026-12-01T00:00:05Z',
    },
    { EventType: 'TaskFailed', TaskScheduledId: 1, Timestamp: '2026-12-01T00:00:03Z', Reason: 'boom' },
    { EventType: 'TaskCompleted', TaskScheduledId: 0, Timestamp: '2026-12-01T00:00:04Z', Result: '1' },
    { EventType: 'TimerFired', TimerId: 2, Timestamp: '2026-12-01T00:00:05Z' },
    {
      EventType: 'SubOrchestrationInstanceCreated',
      Name: 'chunkOrchestrator',
      InstanceId: 'c1',
      EventId: 3,
      Timestamp: '2026-12-01T00:00:06Z',
    },
  ]);
  const spans = buildSpans(events);
  assert.deepEqual(
    spans.map((s) => [s.kind, s.outcome, s.end === undefined ? undefined : s.end - s.start]),
    [
      ['activity', 'completed', 3000],
      ['activity', 'failed', 2000],
      ['timer', 'completed', 3000],
      ['suborchestration', 'pending', undefined],
    ],
  );
  assert.deepEqual(childInstanceIds(events), ['c1']);
});

test('spans come from completions alone in the condensed history Azure returns', () => {
  const spans = buildSpans(
    normalizeHistory([
      {
        EventType: 'TaskCompleted',
        FunctionName: 'listItemsPage',
        ScheduledTime: '2026-12-01T00:00:00Z',
        Timestamp: '2026-12-01T00:00:02Z',
      },
    ]),
  );
  assert.equal(spans.length, 1);
  assert.equal(spans[0]?.name, 'listItemsPage');
  const [span] = spans;
  assert.equal((span?.end ?? 0) - (span?.start ?? 0), 2000);
});

test('routes parse instance ids with reserved characters', () => {
  const id = 'statements-20261201T0200Z:chunk/3?x';
  assert.deepEqual(parseRoute(instanceHash(id, 'history')), { view: 'instance', id, tab: 'history' });
  const list = parseRoute('#/?status=Running');
  assert.equal(list.view, 'list');
  assert.equal(list.view === 'list' && list.params.get('status'), 'Running');
});

test('the runs query sends known statuses only and passes the token on', () => {
  assert.equal(
    buildRunsQuery({ status: 'running', top: 20, continuationToken: 'abc' }),
    '/api/runs?status=running&top=20&continuationToken=abc',
  );
  assert.equal(buildRunsQuery({ status: 'bogus' }), '/api/runs?top=50');
});

test('a run page is read with its progress, failure count and token', () => {
  const page = normalizeRunPage({
    runs: [
      {
        id: 'r1',
        job: 'statements',
        period: '2026-11',
        status: 'running',
        progress: { total: 10, succeeded: 4, failed: 1 },
        failures: { count: 1 },
      },
      { nope: true },
    ],
    continuationToken: 't2',
  });
  assert.equal(page.continuationToken, 't2');
  assert.equal(page.runs.length, 1);
  assert.equal(page.runs[0]?.progress?.percent, 50);
  assert.equal(page.runs[0]?.failures, 1);
  assert.deepEqual(normalizeRunPage({ runs: [], continuationToken: null }), { runs: [] });
});

test('the runs route parses with its query', () => {
  const route = parseRoute('#/runs?status=failed');
  assert.equal(route.view, 'runs');
  assert.equal(route.view === 'runs' && route.params.get('status'), 'failed');
});
