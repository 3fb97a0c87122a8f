// A run's custom-status progress as a bar with counts, rate and ETA.
import { formatCount, formatDuration } from '../data/format.js';
import type { ProgressEstimate, RunProgress } from '../data/progress.js';

export function RunProgressBar({
  progress,
  estimate,
}: {
  progress: RunProgress;
  estimate: ProgressEstimate;
}) {
  const { total, succeeded, failed, skipped } = progress;
  const done = succeeded + failed + skipped;
  const share = (n: number): string => (total > 0 ? `${Math.min(100, (n / total) * 100)}%` : '0%');
  const percent = Math.round(progress.percent * 10) / 10;
  return (
    <section
      class="panel"
      aria-label="Run progress"
      data-testid="run-progress"
      data-done={done}
      data-total={total}
    >
      <header class="panel-header">
        <h3>Progress</h3>
        {progress.phase && <span class="badge tone-neutral">{progress.phase}</span>}
        <span class="muted">{percent}%</span>
      </header>
      <div
        class="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${formatCount(succeeded)} succeeded, ${formatCount(failed)} failed of ${formatCount(total)}`}
      >
        <div class="progress-ok" style={{ width: share(succeeded) }} />
        <div class="progress-failed" style={{ width: share(failed) }} />
        <div class="progress-skipped" style={{ width: share(skipped) }} />
      </div>
      <dl class="stats">
        <div>
          <dt>Succeeded</dt>
          <dd class="tone-success-text" data-testid="progress-succeeded">
            {formatCount(succeeded)}
          </dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd class={failed > 0 ? 'tone-danger-text' : ''}>{formatCount(failed)}</dd>
        </div>
        {skipped > 0 && (
          <div>
            <dt>Skipped</dt>
            <dd>{formatCount(skipped)}</dd>
          </div>
        )}
        <div>
          <dt>Total</dt>
          <dd>{formatCount(total)}</dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd data-testid="progress-rate">
            {estimate.ratePerSecond === undefined ? '—' : `${estimate.ratePerSecond.toFixed(1)}/s`}
          </dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd>{estimate.etaSeconds === undefined ? '—' : formatDuration(estimate.etaSeconds * 1000)}</dd>
        </div>
        <div>
          <dt>Retries</dt>
          <dd>{formatCount(progress.retries)}</dd>
        </div>
        <div>
          <dt>Throttled waits</dt>
          <dd>{formatCount(progress.throttledWaits)}</dd>
        </div>
      </dl>
    </section>
  );
}
