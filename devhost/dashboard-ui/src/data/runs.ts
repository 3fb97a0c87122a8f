// The orchestrator's run API as the Runs view reads it: `GET /api/runs?status&top&continuationToken`
// answers `{runs: RunDocument[], continuationToken}`, newest first.
import { readProgress, type RunProgress } from './progress.js';

export const RUN_STATUSES = ['pending', 'running', 'suspended', 'completed', 'failed', 'cancelled'] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];

export interface RunRow {
  id: string;
  job: string;
  period: string;
  status: string;
  trigger?: string;
  createdAt?: string;
  updatedAt?: string;
  progress?: RunProgress;
  failures: number;
}

function text(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function normalizeRun(raw: unknown): RunRow | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const id = text(r, 'id');
  if (!id) return undefined;
  const failures =
    typeof r.failures === 'object' && r.failures !== null ? (r.failures as Record<string, unknown>) : {};
  return {
    id,
    job: text(r, 'job') ?? '',
    period: text(r, 'period') ?? '',
    status: text(r, 'status') ?? 'unknown',
    trigger: text(r, 'trigger'),
    createdAt: text(r, 'createdAt'),
    updatedAt: text(r, 'updatedAt'),
    progress: readProgress(r.progress),
    failures: typeof failures.count === 'number' ? failures.count : 0,
  };
}

export function normalizeRunPage(raw: unknown): { runs: RunRow[]; continuationToken?: string } {
  if (typeof raw !== 'object' || raw === null) return { runs: [] };
  const body = raw as Record<string, unknown>;
  const runs = Array.isArray(body.runs)
    ? body.runs.map(normalizeRun).filter((r): r is RunRow => r !== undefined)
    : [];
  const token = text(body, 'continuationToken');
  return token ? { runs, continuationToken: token } : { runs };
}

export function buildRunsQuery(options: {
  status?: string;
  top?: number;
  continuationToken?: string;
}): string {
  const params = new URLSearchParams();
  if (options.status && (RUN_STATUSES as readonly string[]).includes(options.status))
    params.set('status', options.status);
  params.set('top', String(options.top ?? 50));
  if (options.continuationToken) params.set('continuationToken', options.continuationToken);
  return `/api/runs?${params.toString()}`;
}

/** The tone of a run status, as the badge colours it. */
export function runTone(status: string): 'active' | 'success' | 'danger' | 'warning' | 'neutral' {
  if (status === 'running' || status === 'pending') return 'active';
  if (status === 'completed') return 'success';
  if (status === 'failed') return 'danger';
  if (status === 'cancelled' || status === 'suspended') return 'warning';
  return 'neutral';
}
