import type { RunStatus } from './types.js';

/** Items done per second over the last samples, for the rate and the ETA. */
export class RateTracker {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(private readonly windowSize = 10) {}

  add(at: number, done: number): void {
    this.samples.push({ at, done });
    if (this.samples.length > this.windowSize) this.samples.shift();
  }

  /** Items per second, or undefined until two samples span some time. */
  rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at <= first.at) return undefined;
    return Math.max(0, (last.done - first.done) / ((last.at - first.at) / 1000));
  }
}

export interface ProgressLine {
  /** The whole line as shown. */
  text: string;
  /** What changes it except rate and ETA: a new line is printed only when this changes. */
  key: string;
}

/** One line of progress: id, status, bar, counts, retries, rate and ETA. */
export function renderProgress(
  run: RunStatus,
  rate: number | undefined,
  options: { width?: number; unicode?: boolean } = {},
): ProgressLine {
  const { total, succeeded, failed, retries } = run.progress;
  const skipped = run.progress.skipped ?? 0;
  const done = succeeded + failed + skipped;
  const width = options.width ?? 24;
  // While the run is still listing, `total` counts only the items seen so far: no percent or ETA then.
  const final = run.progress.totalFinal !== false;
  const fraction = total > 0 ? Math.min(final ? 1 : 0.99, done / total) : 0;
  const filled = Math.floor(fraction * width);
  const [full, empty] = options.unicode ? ['█', '░'] : ['#', '-'];
  const bar = `[${full.repeat(filled)}${empty.repeat(width - filled)}]`;
  const percent = (final ? `${Math.floor(fraction * 100)}%` : '..%').padStart(4);

  const known = total ? `${total}${final ? '' : '+'}` : '?';
  const counts = `${done}/${known} ok ${succeeded} failed ${failed}${skipped ? ` skipped ${skipped}` : ''} retries ${retries}`;
  const remaining = total - done;
  const eta = final && rate && rate > 0 && remaining > 0 ? ` ETA ${formatDuration(remaining / rate)}` : '';
  const speed = rate === undefined ? '' : ` | ${rate.toFixed(1)}/s${eta}`;
  const reason = run.reason ? ` (${run.reason})` : '';
  const key = `${run.status} ${counts}${reason}`;
  return { text: `${run.id} ${run.status.padEnd(9)} ${bar} ${percent} ${counts}${speed}${reason}`, key };
}

export function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
