// The instance list view: filters and sort from the URL, one page at a time through continuation
// tokens, auto-refresh, selection and bulk actions.
import { useEffect, useMemo, useState } from 'preact/hooks';

import { api } from '../api';
import { replaceHash, useInterval } from '../hooks';
import type { DashboardConfig } from '../data/api-client.js';
import { parseTime } from '../data/format.js';
import type { Instance } from '../data/instance.js';
import {
  type ColumnId,
  filterFromSearch,
  filterToSearch,
  type ListFilter,
  matchesClientFilters,
  resolveRange,
  sortInstances,
} from '../data/list-query.js';
import {
  currentToken,
  FIRST_PAGE,
  goNext,
  goPrevious,
  hasNext,
  hasPrevious,
  type PageCursor,
  withNextToken,
} from '../data/paging.js';
import { listHash } from '../data/route.js';
import { ACTION_LABELS, allowedActions, type InstanceAction } from '../data/status.js';
import { type ActionRequest, ActionDialog } from './action-dialog';
import { InstanceTable } from './instance-table';
import { ListFilters } from './list-filters';
import { TimeHistogram } from './time-histogram';
import { Empty, ErrorState, Loading } from './states';

const BULK_ACTIONS: InstanceAction[] = ['terminate', 'suspend', 'resume', 'restart', 'raiseEvent', 'purge'];

export function InstanceList({ params, config }: { params: URLSearchParams; config: DashboardConfig }) {
  const [filter, setFilter] = useState<ListFilter>(() => filterFromSearch(params));
  const [cursor, setCursor] = useState<PageCursor>(FIRST_PAGE);
  const [rows, setRows] = useState<Instance[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [request, setRequest] = useState<ActionRequest | undefined>();
  const [notice, setNotice] = useState('');
  const [tick, setTick] = useState(0);

  const serverKey = JSON.stringify([
    filter.statuses,
    filter.idPrefix,
    filter.preset,
    filter.from,
    filter.to,
    filter.top,
  ]);
  const token = currentToken(cursor);

  useEffect(() => replaceHash(listHash(filterToSearch(filter))), [filter]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    const at = Date.now();
    api
      .listInstances(filter, at, token, controller.signal)
      .then((page) => {
        setRows(page.instances);
        setNow(at);
        setError(undefined);
        setCursor((c) => (currentToken(c) === token ? withNextToken(c, page.continuationToken) : c));
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [serverKey, token, tick]);

  // A tick while a page is still loading would abort it; against a slow API nothing would ever show.
  useInterval(() => {
    if (!request && !loading) setTick((t) => t + 1);
  }, filter.refresh);

  const visible = useMemo(
    () =>
      sortInstances(
        (rows ?? []).filter((r) => matchesClientFilters(r, filter)),
        filter.sortBy,
        filter.sortDir,
        now,
      ),
    [rows, filter, now],
  );
  const range = resolveRange(filter, now);
  const selectedRows = visible.filter((r) => selected.has(r.instanceId));

  const update = (change: Partial<ListFilter>): void => {
    const serverSide: (keyof ListFilter)[] = ['statuses', 'idPrefix', 'preset', 'from', 'to', 'top'];
    if (serverSide.some((key) => key in change)) setCursor(FIRST_PAGE);
    setFilter((f) => ({ ...f, ...change }));
  };
  const sort = (column: ColumnId): void =>
    update({
      sortBy: column,
      sortDir: filter.sortBy === column && filter.sortDir === 'desc' ? 'asc' : 'desc',
    });
  const select = (ids: string[], on: boolean): void =>
    setSelected((s) => {
      const next = new Set(s);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  const bulkIds = (action: InstanceAction): string[] =>
    selectedRows.filter((r) => allowedActions(r.runtimeStatus).includes(action)).map((r) => r.instanceId);

  return (
    <main class="view">
      <div class="view-header">
        <h1>Instances</h1>
        <span class="muted" aria-live="polite">
          {loading
            ? 'Refreshing…'
            : rows
              ? `${visible.length} shown${visible.length !== rows.length ? ` of ${rows.length} on this page` : ''}`
              : ''}
        </span>
        <button type="button" onClick={() => setTick((t) => t + 1)} data-testid="refresh">
          Refresh
        </button>
      </div>
      <ListFilters filter={filter} onChange={update} />
      {visible.length > 0 && (
        <TimeHistogram
          rows={visible}
          from={parseTime(range.from)}
          to={parseTime(range.to) ?? (filter.preset === 'all' ? undefined : now)}
          onPick={(from, to) => update({ preset: 'custom', from, to })}
        />
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {!config.readOnly && selectedRows.length > 0 && (
        <div class="bulk-bar" role="toolbar" aria-label="Bulk actions" data-testid="bulk-bar">
          <span>{selectedRows.length} selected</span>
          {BULK_ACTIONS.map((action) => {
            const ids = bulkIds(action);
            return (
              <button
                type="button"
                key={action}
                disabled={ids.length === 0}
                onClick={() => setRequest({ action, ids })}
                data-testid={`bulk-${action}`}
              >
                {ACTION_LABELS[action]}{' '}
                {ids.length > 0 && ids.length !== selectedRows.length ? `(${ids.length})` : ''}
              </button>
            );
          })}
          <button type="button" class="link" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      )}
      {error !== undefined ? (
        <ErrorState error={error} onRetry={() => setTick((t) => t + 1)} />
      ) : rows === undefined ? (
        <Loading label="Loading instances…" />
      ) : visible.length === 0 ? (
        <Empty title="No instances match">
          {rows.length > 0
            ? 'Rows on this page did not match the name or custom-status filter.'
            : 'Try a wider time range or fewer filters.'}
        </Empty>
      ) : (
        <InstanceTable
          rows={visible}
          filter={filter}
          now={now}
          selected={selected}
          selectable={!config.readOnly}
          onSort={sort}
          onSelect={select}
        />
      )}
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          disabled={!hasPrevious(cursor)}
          onClick={() => setCursor(goPrevious)}
          data-testid="page-prev"
        >
          ← Previous
        </button>
        <span>Page {cursor.index + 1}</span>
        <button
          type="button"
          disabled={!hasNext(cursor)}
          onClick={() => setCursor(goNext)}
          data-testid="page-next"
        >
          Next →
        </button>
      </nav>
      {request && (
        <ActionDialog
          request={request}
          onClose={(outcome) => {
            setRequest(undefined);
            if (!outcome) return;
            setNotice(
              `${ACTION_LABELS[request.action]}: ${outcome.succeeded.length} done${outcome.failed.length ? `, ${outcome.failed.length} failed` : ''}.`,
            );
            setSelected(new Set());
            setTick((t) => t + 1);
          }}
        />
      )}
    </main>
  );
}
