// The dashboard's data layer: URL state, management API queries, paging, status mapping, progress
// and history spans. Pure modules, imported straight from the front-end source.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { classifyStatus } from '../../devhost/dashboard-ui/src/data/api-client.js';
import {
  buildSpans,
  childInstanceIds,
  normalizeHistory,
} from '../../devhost/dashboard-ui/src/data/history.js';
import { normalizeInstance } from '../../devhost/dashboard-ui/src/data/instance.js';
import {
  buildListQuery,
  DEFAULT_FILTER,
  filterFromSearch,
  filterToSearch,
  matchesClientFilters,
  sortInstances,
} from '../../devhost/dashboard-ui/src/data/list-query.js';
import {
  FIRST_PAGE,
  goNext,
  goPrevious,
  hasNext,
  hasPrevious,
  currentToken,
  withNextToken,
} from '../../devhost/dashboard-ui/src/data/paging.js';
import {
  addSample,
  estimate,
  readFailureSample,
  readProgress,
} from '../../devhost/dashboard-ui/src/data/progress.js';
import { instanceHash, parseRoute } from '../../devhost/dashboard-ui/src/data/route.js';
import { buildRunsQuery, normalizeRunPage } from '../../devhost/dashboard-ui/src/data/runs.js';
import { allowedActions, isTerminal, toRuntimeStatus } from '../../devhost/dashboard-ui/src/data/status.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');

test('a default view has an empty URL query', () => {
  assert.equal(filterToSearch(DEFAULT_FILTER).toString(), '');
});

test('a view survives the round trip through its URL', () => {
  const view = {
    ...DEFAULT_FILTER,
    statuses: ['Running' as const, 'Failed' as const],
    name: 'run',
    idPrefix: 'statements-',
    customStatus: 'percent',
    preset: 'custom' as const,
    from: '2026-12-01T00:00:00.000Z',
    to: '2026-12-02T00:00:00.000Z',
    top: 100,
    sortBy: 'duration' as const,
    sortDir: 'asc' as const,
    hidden: ['parentInstanceId' as const],
    refresh: 5 as const,
  };
  assert.deepEqual(filterFromSearch(new URLSearchParams(filterToSearch(view).toString())), view);
});

test('malformed URL values fall back to the defaults', () => {
  const view = filterFromSearch(
    new URLSearchParams('status=Bogus,Running&top=-3&sort=nope:up&refresh=7&range=2y&from=x'),
  );
  assert.deepEqual(view.statuses, ['Running']);
  assert.equal(view.top, DEFAULT_FILTER.top);
  assert.equal(view.sortBy, DEFAULT_FILTER.sortBy);
  assert.equal(view.refresh, 0);
  assert.equal(view.preset, DEFAULT_FILTER.preset);
  assert.equal(view.from, '');
});

test('the list query carries the time window, statuses, prefix and page size', () => {
  const query = buildListQuery(
    { ...DEFAULT_FILTER, preset: '1h', statuses: ['Running', 'Pending'], idPrefix: 'a b' },
    NOW,
  );
  const params = new URL(query, 'http://x').searchParams;
  assert.ok(query.startsWith('/instances?'));
  assert.equal(params.get('createdTimeFrom'), '2026-12-01T11:00:00.000Z');
  assert.equal(params.get('createdTimeTo'), null);
  assert.equal(params.get('runtimeStatus'), 'Running,Pending');
  assert.equal(params.get('instanceIdPrefix'), 'a b');
  assert.equal(params.get('top'), '50');
  assert.equal(params.get('showInput'), 'false');
});

test('"any time" sends no created-time bounds and a custom range sends both', () => {
  const all = new URL(buildListQuery({ ...DEFAULT_FILTER, preset: 'all' }, NOW), 'http://x').searchParams;
  assert.equal(all.has('createdTimeFrom'), false);
  const custom = buildListQuery(
    { ...DEFAULT_FILTER, preset: 'custom', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' },
    NOW,
  );
  const params = new URL(custom, 'http://x').searchParams;
  assert.equal(params.get('createdTimeFrom'), '2026-11-01T00:00:00.000Z');
  assert.equal(params.get('createdTimeTo'), '2026-11-02T00:00:00.000Z');
});

test('name and custom-status filters apply to loaded rows, case-insensitively', () => {
  const row = normalizeInstance({
    instanceId: 'r1',
    name: 'runOrchestrator',
    runtimeStatus: 'Running',
    customStatus: { phase: 'Listing' },
  });
  assert.ok(row);
  assert.equal(matchesClientFilters(row, { ...DEFAULT_FILTER, name: 'RUNORCH' }), true);
  assert.equal(matchesClientFilters(row, { ...DEFAULT_FILTER, name: 'chunk' }), false);
  assert.equal(matchesClientFilters(row, { ...DEFAULT_FILTER, customStatus: 'listing' }), true);
  assert.equal(matchesClientFilters(row, { ...DEFAULT_FILTER, customStatus: 'done' }), false);
});

test('rows sort by duration with running ones measured to now', () => {
  const rows = [
    {
      instanceId: 'a',
      runtimeStatus: 'Completed',
      createdTime: '2026-12-01T11:00:00Z',
      lastUpdatedTime: '2026-12-01T11:00:10Z',
    },
    {
      instanceId: 'b',
      runtimeStatus: 'Running',
      createdTime: '2026-12-01T11:59:00Z',
      lastUpdatedTime: '2026-12-01T11:59:01Z',
    },
  ].map((r) => normalizeInstance(r)!);
  assert.deepEqual(
    sortInstances(rows, 'duration', 'desc', NOW).map((r) => r.instanceId),
    ['b', 'a'],
  );
  assert.deepEqual(
    sortInstances(rows, 'duration', 'asc', NOW).map((r) => r.instanceId),
    ['a', 'b'],
  );
});

test('paging keeps earlier tokens to go back and forgets later ones', () => {
  let cursor = withNextToken(FIRST_PAGE, 't1');
  assert.equal(hasNext(cursor), true);
  cursor = withNextToken(goNext(cursor), 't2');
  assert.equal(currentToken(cursor), 't1');
  cursor = goNext(cursor);
  assert.equal(currentToken(cursor), 't2');
  cursor = withNextToken(cursor, null);
  assert.equal(hasNext(cursor), false);
  cursor = goPrevious(cursor);
  assert.equal(currentToken(cursor), 't1');
  assert.equal(hasPrevious(goPrevious(cursor)), false);
  assert.equal(currentToken(goPrevious(cursor)), undefined);
});

test('a "null" continuation token means the last page', () => {
  assert.equal(hasNext(withNextToken(FIRST_PAGE, 'null')), false);
});

test('statuses map from names in any case and from enum numbers', () => {
  assert.equal(toRuntimeStatus('running'), 'Running');
  assert.equal(toRuntimeStatus('ContinuedAsNew'), 'ContinuedAsNew');
  assert.equal(toRuntimeStatus(3), 'Failed');
  assert.equal(toRuntimeStatus(7), 'Suspended');
  assert.equal(toRuntimeStatus('Exploded'), 'Unknown');
  assert.equal(isTerminal('Terminated'), true);
  assert.equal(isTerminal('Suspended'), false);
});

test('only the actions the API accepts in a status are offered', () => {
  assert.deepEqual(allowedActions('Running'), ['terminate', 'suspend', 'raiseEvent', 'restart']);
  assert.deepEqual(allowedActions('Suspended'), ['terminate', 'resume', 'raiseEvent', 'restart']);
  assert.deepEqual(allowedActions('Completed'), ['restart', 'purge']);
  assert.deepEqual(allowedActions('Unknown'), []);
});

test('HTTP statuses classify into what the UI explains', () => {
  assert.equal(classifyStatus(502), 'unreachable');
  assert.equal(classifyStatus(401), 'unauthorized');
  assert.equal(classifyStatus(404), 'not-found');
  assert.equal(classifyStatus(410), 'gone');
  assert.equal(classifyStatus(500), 'server');
});

test('instance documents are read whatever their casing and with JSON strings parsed', () => {
  const instance = normalizeInstance({
    InstanceId: 'x',
    Name: 'n',
    RuntimeStatus: 0,
    CustomStatus: '{"a":1}',
    output: 'plain',
  });
  assert.deepEqual(instance, {
    instanceId: 'x',
    name: 'n',
    runtimeStatus: 'Running',
    createdTime: undefined,
    lastUpdatedTime: undefined,
    input: undefined,
    output: 'plain',
    customStatus: { a: 1 },
    parentInstanceId: undefined,
    historyEvents: undefined,
  });
  assert.equal(normalizeInstance({ name: 'no id' }), undefined);
});

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
