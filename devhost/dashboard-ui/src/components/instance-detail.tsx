// One instance: status, progress of our runs, actions, input/output/custom status, and its history
// as a table and a Gantt timeline. Polls while the instance is still running.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import { api } from '../api';
import { useInterval } from '../hooks';
import type { DashboardConfig } from '../data/api-client.js';
import { formatCount, formatTime } from '../data/format.js';
import { buildSpans, childInstanceIds, normalizeHistory, parentInstanceId } from '../data/history.js';
import { type Instance, instanceDuration } from '../data/instance.js';
import {
  addSample,
  estimate,
  type ProgressSample,
  readFailureSample,
  readProgress,
} from '../data/progress.js';
import { type DetailTab, instanceHash, listHash } from '../data/route.js';
import { ACTION_LABELS, allowedActions, isTerminal } from '../data/status.js';
import { formatDuration } from '../data/format.js';
import { type ActionRequest, ActionDialog } from './action-dialog';
import { GanttTimeline } from './gantt-timeline';
import { HistoryTable } from './history-table';
import { RunProgressBar } from './run-progress';
import { InstanceOverview } from './instance-overview';
import { ErrorState, Loading, StatusBadge } from './states';

const STATUS_POLL_SECONDS = 1;
const HISTORY_POLL_SECONDS = 10;
const TABS: { id: DetailTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'history', label: 'History' },
  { id: 'timeline', label: 'Timeline' },
];

export function InstanceDetail({ id, tab, config }: { id: string; tab: DetailTab; config: DashboardConfig }) {
  const [instance, setInstance] = useState<Instance | undefined>();
  const [history, setHistory] = useState<unknown[] | undefined>();
  const [run, setRun] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const [samples, setSamples] = useState<ProgressSample[]>([]);
  const [request, setRequest] = useState<ActionRequest | undefined>();
  const [notice, setNotice] = useState('');
  const historyLoading = useRef(false);
  const statusLoading = useRef(false);
  const running = instance !== undefined && !isTerminal(instance.runtimeStatus);

  const loadStatus = async (): Promise<void> => {
    if (statusLoading.current) return;
    statusLoading.current = true;
    try {
      const next = await api.getInstance(id);
      setInstance(next);
      setError(undefined);
      const progress = readProgress(next.customStatus);
      if (progress)
        setSamples((s) =>
          addSample(s, { at: Date.now(), done: progress.succeeded + progress.failed + progress.skipped }),
        );
      if (config.hasRunApi && next.name === 'runOrchestrator')
        setRun(await api.getRun(id).catch(() => undefined));
    } catch (e) {
      setError(e);
    } finally {
      statusLoading.current = false;
    }
  };
  const loadHistory = async (): Promise<void> => {
    if (historyLoading.current) return;
    historyLoading.current = true;
    try {
      const withHistory = await api.getInstance(id, { history: true });
      setHistory(withHistory.historyEvents ?? []);
    } catch (e) {
      setError(e);
    } finally {
      historyLoading.current = false;
    }
  };

  useEffect(() => {
    setInstance(undefined);
    setHistory(undefined);
    setSamples([]);
    setRun(undefined);
    void loadStatus();
    void loadHistory();
  }, [id]);
  useInterval(() => void loadStatus(), running ? STATUS_POLL_SECONDS : 0);
  useInterval(() => void loadHistory(), running ? HISTORY_POLL_SECONDS : 0);
  useEffect(() => {
    if (instance && isTerminal(instance.runtimeStatus)) void loadHistory();
  }, [instance?.runtimeStatus]);

  const events = useMemo(() => normalizeHistory(history), [history]);
  const spans = useMemo(() => buildSpans(events), [events]);
  const children = useMemo(() => childInstanceIds(events), [events]);

  if (error !== undefined && instance === undefined)
    return (
      <main class="view">
        <ErrorState error={error} onRetry={() => void loadStatus()} />
      </main>
    );
  if (!instance)
    return (
      <main class="view">
        <Loading label={`Loading ${id}…`} />
      </main>
    );

  const now = Date.now();
  const progress = readProgress(instance.customStatus);
  const failures = readFailureSample(run, instance.output, instance.customStatus);
  const parent = parentInstanceId(instance, history);
  const actions = config.readOnly ? [] : allowedActions(instance.runtimeStatus);

  return (
    <main class="view">
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <a href={listHash(new URLSearchParams())}>Instances</a> / <span class="mono">{id}</span>
      </nav>
      <div class="view-header">
        <h1 class="mono" data-testid="detail-id">
          {instance.instanceId}
        </h1>
        <StatusBadge status={instance.runtimeStatus} />
        {error !== undefined && (
          <span class="tone-danger-text" role="alert">
            Refresh failed
          </span>
        )}
        <button type="button" onClick={() => (void loadStatus(), void loadHistory())}>
          Refresh
        </button>
      </div>
      {actions.length > 0 && (
        <div class="toolbar" role="toolbar" aria-label="Actions">
          {actions.map((action) => (
            <button
              type="button"
              key={action}
              onClick={() => setRequest({ action, ids: [instance.instanceId] })}
              data-testid={`action-${action}`}
            >
              {ACTION_LABELS[action]}
            </button>
          ))}
        </div>
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <dl class="facts">
        <div>
          <dt>Name</dt>
          <dd>{instance.name}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatTime(instance.createdTime)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{formatTime(instance.lastUpdatedTime)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(instanceDuration(instance, now))}</dd>
        </div>
        <div>
          <dt>Parent</dt>
          <dd>
            {parent ? (
              <a class="mono" href={instanceHash(parent)}>
                {parent}
              </a>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Children</dt>
          <dd data-testid="children">
            {history === undefined ? '…' : children.length === 0 ? '—' : children.length}
          </dd>
        </div>
      </dl>
      {progress && (
        <RunProgressBar
          progress={progress}
          estimate={estimate(samples, progress, Date.parse(instance.createdTime ?? ''))}
        />
      )}
      <div class="tabs" role="tablist" aria-label="Instance views">
        {TABS.map((t) => (
          <a
            key={t.id}
            role="tab"
            href={instanceHash(id, t.id)}
            aria-selected={tab === t.id}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
            {t.id === 'history' && history ? ` (${formatCount(history.length)})` : ''}
          </a>
        ))}
      </div>
      {tab === 'overview' && (
        <InstanceOverview instance={instance} run={run} failures={failures} children={children} />
      )}
      {tab === 'history' &&
        (history === undefined ? (
          <Loading label="Loading history…" />
        ) : (
          <HistoryTable events={events} raw={history} />
        ))}
      {tab === 'timeline' &&
        (history === undefined ? (
          <Loading label="Loading history…" />
        ) : (
          <GanttTimeline spans={spans} now={now} />
        ))}
      {request && (
        <ActionDialog
          request={request}
          onClose={(outcome) => {
            setRequest(undefined);
            if (!outcome || outcome.succeeded.length === 0) return;
            if (request.action === 'purge') {
              location.hash = listHash(new URLSearchParams());
              return;
            }
            setNotice(`${ACTION_LABELS[request.action]} sent.`);
            void loadStatus();
          }}
        />
      )}
    </main>
  );
}
