// A histogram of the loaded rows by created time; a bar narrows the time filter to its bucket.
import { formatTime } from '../data/format.js';
import { histogram } from '../data/histogram.js';
import type { Instance } from '../data/instance.js';
import type { StatusTone } from '../data/status.js';

const BUCKETS = 48;
const TONES: StatusTone[] = ['danger', 'warning', 'active', 'success', 'neutral'];

export function TimeHistogram(props: {
  rows: readonly Instance[];
  from?: number;
  to?: number;
  onPick: (from: string, to: string) => void;
}) {
  const buckets = histogram(props.rows, BUCKETS, props.from, props.to);
  if (buckets.length === 0) return null;
  const peak = Math.max(1, ...buckets.map((b) => b.total));
  const iso = (t: number): string => new Date(t).toISOString();
  return (
    <div class="histogram" role="group" aria-label="Instances by created time" data-testid="histogram">
      <div class="histogram-bars">
        {buckets.map((bucket) => (
          <button
            type="button"
            key={bucket.start}
            class="histogram-bar"
            disabled={bucket.total === 0}
            title={`${bucket.total} created ${formatTime(iso(bucket.start))} – ${formatTime(iso(bucket.end))}`}
            aria-label={`${bucket.total} instances from ${formatTime(iso(bucket.start))}`}
            onClick={() => props.onPick(iso(bucket.start), iso(bucket.end))}
          >
            {TONES.map((tone) => {
              const n = bucket.byTone[tone] ?? 0;
              return n > 0 ? (
                <span key={tone} class={`tone-${tone}`} style={{ height: `${(n / peak) * 100}%` }} />
              ) : null;
            })}
          </button>
        ))}
      </div>
      <div class="histogram-axis muted">
        <span>{formatTime(iso(buckets[0]?.start ?? 0))}</span>
        <span>{formatTime(iso(buckets[buckets.length - 1]?.end ?? 0))}</span>
      </div>
    </div>
  );
}
