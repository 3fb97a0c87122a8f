// The Runs view: the orchestrator's run API, newest first, with status filter, paging and a live
// refresh. Each run links to its orchestration instance.
import { useEffect, useState } from 'preact/hooks';

import { api } from '../api';
import { replaceHash, useInterval } from '../hooks';
import { formatCount, formatTime } from '../data/format.js';
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
import { instanceHash, runsHash } from '../data/route.js';
import { RUN_STATUSES, type RunRow, runTone } from '../data/runs.js';
import { Empty, ErrorState, Loading } from './states';

const REFRESH_SECONDS = 5;

function Progress({ run }: { run: RunRow }) {
  const p = run.progress;
  if (!p) return null;
  const done = p.succeeded + p.failed + p.skipped;
  return (
    <span class="mini-progress">
      <span class="mini-bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, p.percent)}%` }} />
      </span>
      {Math.round(p.percent)}% · {formatCount(done)}/{formatCount(p.total)}
    </span>
  );
}

export function RunsList({ params }: { params: URLSearchParams }) {
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [cursor, setCursor] = useState<PageCursor>(FIRST_PAGE);
  const [runs, setRuns] = useState<RunRow[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const token = currentToken(cursor);

  useEffect(() => replaceHash(runsHash(new URLSearchParams(status ? { status } : {}))), [status]);
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .listRuns({ status, top: 50, continuationToken: token }, controller.signal)
      .then((page) => {
        setRuns(page.runs);
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
  }, [status, token, tick]);
  useInterval(() => {
    if (!loading) setTick((t) => t + 1);
  }, REFRESH_SECONDS);

  return (
    <main class="view">
      <div class="view-header">
        <h1>Runs</h1>
        <span class="muted">from the orchestrator's run API, refreshed every {REFRESH_SECONDS} s</span>
        <label class="field">
          Status
          <select
            value={status}
            data-testid="runs-status"
            onChange={(e) => {
              setCursor(FIRST_PAGE);
              setStatus(e.currentTarget.value);
            }}
          >
            <option value="">All</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error !== undefined ? (
        <ErrorState error={error} onRetry={() => setTick((t) => t + 1)} />
      ) : runs === undefined ? (
        <Loading label="Loading runs…" />
      ) : runs.length === 0 ? (
        <Empty title="No runs">Start one with `devhost runs start --job statements` or POST /api/runs.</Empty>
      ) : (
        <div class="table-wrap">
          <table class="instances" data-testid="runs-table">
            <thead>
              <tr>
                <th>Run</th>
                <th>Job</th>
                <th>Period</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Failures</th>
                <th>Created</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-run-id={run.id}>
                  <td>
                    <a class="mono clip-id" href={instanceHash(run.id)} title={run.id}>
                      {run.id}
                    </a>
                  </td>
                  <td>{run.job}</td>
                  <td>{run.period}</td>
                  <td>
                    <span class={`badge tone-${runTone(run.status)}`}>{run.status}</span>
                  </td>
                  <td>
                    <Progress run={run} />
                  </td>
                  <td class={run.failures > 0 ? 'tone-danger-text' : ''}>{formatCount(run.failures)}</td>
                  <td>{formatTime(run.createdAt)}</td>
                  <td>{formatTime(run.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={!hasPrevious(cursor)} onClick={() => setCursor(goPrevious)}>
          ← Previous
        </button>
        <span>Page {cursor.index + 1}</span>
        <button type="button" disabled={!hasNext(cursor)} onClick={() => setCursor(goNext)}>
          Next →
        </button>
      </nav>
    </main>
  );
}
