// The instance list's data layer: URL state, management API queries, client-side filters and sort,
// continuation-token paging, status mapping and the instance document reader.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { classifyStatus } from '../../devhost/dashboard-ui/src/data/api-client.js';
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
  currentToken,
  FIRST_PAGE,
  goNext,
  goPrevious,
  hasNext,
  hasPrevious,
  withNextToken,
} from '../../devhost/dashboard-ui/src/data/paging.js';
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
