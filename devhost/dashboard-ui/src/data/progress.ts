// Progress of our runs: runOrchestrator publishes `{progress: {total, succeeded, failed, retries,
// throttledWaits, percent}}` as custom status; the dashboard samples it to show a rate and an ETA.

export interface RunProgress {
  total: number;
  succeeded: number;
  failed: number;
  retries: number;
  throttledWaits: number;
  percent: number;
}

export interface ProgressSample {
  /** Epoch milliseconds the sample was taken. */
  at: number;
  done: number;
}

export interface ProgressEstimate {
  /** Items finished per second over the sampled window. */
  ratePerSecond?: number;
  etaSeconds?: number;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The progress in a custom status, or undefined when it carries none. */
export function readProgress(customStatus: unknown): RunProgress | undefined {
  if (typeof customStatus !== 'object' || customStatus === null) return undefined;
  const holder = customStatus as Record<string, unknown>;
  const raw = typeof holder.progress === 'object' && holder.progress !== null ? holder.progress : holder;
  const p = raw as Record<string, unknown>;
  const total = count(p.total);
  const succeeded = count(p.succeeded);
  if (total === undefined || succeeded === undefined) return undefined;
  const failed = count(p.failed) ?? 0;
  const done = succeeded + failed;
  return {
    total,
    succeeded,
    failed,
    retries: count(p.retries) ?? 0,
    throttledWaits: count(p.throttledWaits) ?? 0,
    percent: count(p.percent) ?? (total > 0 ? Math.min(100, (done / total) * 100) : 0),
  };
}

/** Appends a sample, keeping the last `max` and dropping repeats of the same count. */
export function addSample(
  samples: readonly ProgressSample[],
  sample: ProgressSample,
  max = 30,
): ProgressSample[] {
  const last = samples[samples.length - 1];
  if (last && last.done === sample.done && samples.length > 1) return [...samples.slice(0, -1), sample];
  return [...samples, sample].slice(-max);
}

/**
 * Rate over the sampled window, or since `startedAt` while there is one sample; ETA from the rate
 * and what is left. Undefined when nothing has finished yet or the run is complete.
 */
export function estimate(
  samples: readonly ProgressSample[],
  progress: RunProgress,
  startedAt?: number,
): ProgressEstimate {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last) return {};

  let rate: number | undefined;
  if (samples.length > 1 && last.at > first.at && last.done > first.done) {
    rate = ((last.done - first.done) * 1000) / (last.at - first.at);
  } else if (startedAt !== undefined && last.at > startedAt && last.done > 0) {
    rate = (last.done * 1000) / (last.at - startedAt);
  }
  if (rate === undefined || rate <= 0) return {};

  const left = progress.total - progress.succeeded - progress.failed;
  return { ratePerSecond: rate, etaSeconds: left > 0 ? left / rate : undefined };
}

export interface FailureSample {
  itemId: string;
  status?: number;
  reason: string;
}

/** The bounded failure sample a run carries in its output, custom status or run status. */
export function readFailureSample(
  ...sources: unknown[]
): { count: number; sample: FailureSample[] } | undefined {
  for (const source of sources) {
    if (typeof source !== 'object' || source === null) continue;
    const failures = (source as Record<string, unknown>).failures;
    if (typeof failures !== 'object' || failures === null) continue;
    const f = failures as Record<string, unknown>;
    const sample = Array.isArray(f.sample) ? f.sample : [];
    const items = sample.flatMap((entry): FailureSample[] => {
      if (typeof entry !== 'object' || entry === null) return [];
      const e = entry as Record<string, unknown>;
      if (typeof e.itemId !== 'string') return [];
      return [
        {
          itemId: e.itemId,
          status: typeof e.status === 'number' ? e.status : undefined,
          reason: typeof e.reason === 'string' ? e.reason : '',
        },
      ];
    });
    return { count: count(f.count) ?? items.length, sample: items };
  }
  return undefined;
}
