// Progress of our runs: the run API's status nests `progress {total, succeeded, failed, retries,
// throttledWaits, percent}`; runOrchestrator's custom status carries the same counts at the top level
// with `phase` and a failure `sample`. The dashboard samples either to show a rate and an ETA.

export interface RunProgress {
  total: number;
  succeeded: number;
  failed: number;
  /** Items never attempted because the run stopped early (the orchestrator's flat status has it). */
  skipped: number;
  retries: number;
  throttledWaits: number;
  percent: number;
  /** `listing`, `processing`, `completed`, `failed` when the status says. */
  phase?: string;
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
  const skipped = count(p.skipped) ?? 0;
  const done = succeeded + failed + skipped;
  const phase = typeof holder.phase === 'string' ? holder.phase : undefined;
  return {
    total,
    succeeded,
    failed,
    skipped,
    ...(phase ? { phase } : {}),
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

  const left = progress.total - progress.succeeded - progress.failed - progress.skipped;
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
    const holder = source as Record<string, unknown>;
    // The run API nests `failures {count, sample}`; the orchestrator's own status has a flat `sample`.
    const nested = typeof holder.failures === 'object' && holder.failures !== null;
    const f = (nested ? holder.failures : holder) as Record<string, unknown>;
    if (!Array.isArray(f.sample)) continue;
    const sample: unknown[] = f.sample;
    const flatCount = (count(f.failed) ?? 0) + (count(f.skipped) ?? 0);
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
    return { count: count(f.count) ?? Math.max(flatCount, items.length), sample: items };
  }
  return undefined;
}
