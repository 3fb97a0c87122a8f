import type { DurableOrchestrationStatus } from 'durable-functions';

import { redact } from '../log.js';
import {
  percentDone,
  SAMPLE_LIMIT,
  type FailedItem,
  type RunInput,
  type RunStatus,
} from '../orchestrations/run-model.js';
import type { RunStatusName } from './run-request.js';

/** The orchestration every run is an instance of. */
export const RUN_ORCHESTRATOR = 'runOrchestrator';

/** A run as the API shows it. Never carries keys, tokens or management URLs. */
export interface RunDocument {
  id: string;
  job: string | null;
  period: string | null;
  trigger: string | null;
  retryOf: string | null;
  status: RunStatusName | 'unknown';
  createdAt: string;
  updatedAt: string;
  progress: {
    total: number;
    succeeded: number;
    failed: number;
    skipped: number;
    retries: number;
    throttledWaits: number;
    percent: number;
    /** False while the run is still listing items: `total` may grow. */
    totalFinal: boolean;
  };
  summary?: {
    startedAt: string;
    finishedAt: string | null;
    durationMs: number | null;
    pages: number;
    chunks: number;
    generations: number;
  };
  failures: { count: number; sample: FailedItem[]; blob?: string };
  reason?: string;
}

const STATUS: Record<string, RunStatusName> = {
  Pending: 'pending',
  Running: 'running',
  ContinuedAsNew: 'running',
  Completed: 'completed',
  Failed: 'failed',
  Terminated: 'cancelled',
  Suspended: 'suspended',
};

/** The durable runtime statuses an API status stands for. */
export const RUNTIME_STATUSES: Record<RunStatusName, string[]> = {
  pending: ['Pending'],
  running: ['Running', 'ContinuedAsNew'],
  completed: ['Completed'],
  failed: ['Failed'],
  cancelled: ['Terminated'],
  suspended: ['Suspended'],
};

/** True once a run can no longer change. */
export function isFinished(status: RunDocument['status']): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function asRunStatus(value: unknown): Partial<RunStatus> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

function firstLine(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const line = value
    .split('\n')[0]!
    .replace(/^(RunStoppedError|Error):\s*/, '')
    .trim();
  return redact(line).slice(0, 500);
}

const iso = (value: unknown): string => {
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
};

/** Builds the run document from a durable status (`input` needed for job and period). */
export function toRunDocument(status: DurableOrchestrationStatus): RunDocument {
  const runStatus = STATUS[status.runtimeStatus] ?? 'unknown';
  const input = (
    typeof status.input === 'object' && status.input !== null ? status.input : {}
  ) as Partial<RunInput>;
  const progress: Partial<RunStatus> =
    asRunStatus(status.customStatus) ??
    (runStatus === 'completed' ? asRunStatus(status.output) : undefined) ??
    input.progress ??
    {};
  const sample = Array.isArray(progress.sample) ? progress.sample.slice(0, SAMPLE_LIMIT) : [];
  const failed = num(progress.failed);
  const skipped = num(progress.skipped);
  const finished = isFinished(runStatus);

  const document: RunDocument = {
    id: status.instanceId,
    job: str(input.job),
    period: str(input.period),
    trigger: str(input.trigger),
    retryOf: str(input.retryOf),
    status: runStatus,
    createdAt: iso(status.createdTime),
    updatedAt: iso(status.lastUpdatedTime),
    progress: {
      total: num(progress.total),
      succeeded: num(progress.succeeded),
      failed,
      skipped,
      retries: num(progress.retries),
      throttledWaits: num(progress.throttledWaits),
      percent: 0,
      totalFinal: finished || progress.listed === true,
    },
    failures: { count: failed + skipped, sample },
  };
  document.progress.percent = percentDone(
    {
      ...document.progress,
      pages: 0,
      chunks: 0,
      generation: 0,
      sample: [],
      failureList: null,
      startedAt: '',
    },
    runStatus === 'completed',
  );
  const blob = str(progress.failureList);
  if (blob) document.failures.blob = blob;

  if (finished || progress.phase === 'completed' || progress.phase === 'failed') {
    const startedAt = str(progress.startedAt) ?? document.createdAt;
    const finishedAt = str(progress.finishedAt) ?? (finished ? document.updatedAt : null);
    const duration = finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : NaN;
    document.summary = {
      startedAt,
      finishedAt,
      durationMs: Number.isFinite(duration) ? duration : null,
      pages: num(progress.pages),
      chunks: num(progress.chunks),
      generations: num(progress.generation) + 1,
    };
  }
  const reason =
    str(progress.reason) ??
    (runStatus === 'failed' || runStatus === 'cancelled' ? firstLine(status.output) : undefined);
  if (reason) document.reason = redact(reason);
  return document;
}
