// A Gantt timeline of activities, timers and sub-orchestrations, one virtualised row per span.
import { useMemo, useState } from 'preact/hooks';

import { formatCount, formatDuration, formatTime } from '../data/format.js';
import { type Span, type SpanKind, spanWindow } from '../data/history.js';
import { instanceHash } from '../data/route.js';
import { Empty } from './states';
import { VirtualList } from './virtual-list';

const ROW_HEIGHT = 22;
const KINDS: SpanKind[] = ['activity', 'timer', 'suborchestration'];

export function GanttTimeline({ spans, now }: { spans: Span[]; now: number }) {
  const [kinds, setKinds] = useState<Set<SpanKind>>(new Set(KINDS));
  const [active, setActive] = useState(-1);
  const shown = useMemo(() => spans.filter((s) => kinds.has(s.kind)), [spans, kinds]);
  const window = spanWindow(shown, now);

  if (spans.length === 0)
    return <Empty title="Nothing to draw">No activities, timers or sub-orchestrations in the history.</Empty>;
  const width = window ? window.end - window.start : 1;
  const pos = (t: number): string => `${(((t - (window?.start ?? 0)) / width) * 100).toFixed(3)}%`;
  const selected = shown[active];

  return (
    <section class="gantt" aria-label="Timeline" data-testid="gantt">
      <div class="filter-row">
        {KINDS.map((kind) => (
          <label class="inline" key={kind}>
            <input
              type="checkbox"
              checked={kinds.has(kind)}
              onChange={() =>
                setKinds((k) => {
                  const next = new Set(k);
                  if (next.has(kind)) next.delete(kind);
                  else next.add(kind);
                  return next;
                })
              }
            />
            <span class={`legend kind-${kind}`} aria-hidden="true" /> {kind}
          </label>
        ))}
        <span class="muted">{formatCount(shown.length)} spans</span>
        {window && (
          <span class="muted">
            {formatTime(new Date(window.start).toISOString())} → {formatDuration(width)}
          </span>
        )}
      </div>
      {window && (
        <div class="gantt-axis muted" aria-hidden="true">
          <span />
          <span class="gantt-ticks">
            {[0, 0.25, 0.5, 0.75, 1].map((f) => (
              <span key={f} style={{ left: `${f * 100}%` }}>
                +{formatDuration(f * width)}
              </span>
            ))}
          </span>
        </div>
      )}
      <VirtualList
        items={shown}
        rowHeight={ROW_HEIGHT}
        height={Math.min(520, Math.max(ROW_HEIGHT * 3, shown.length * ROW_HEIGHT))}
        label="Timeline spans"
        activeIndex={active}
        onActiveChange={setActive}
        onActivate={(span) => {
          if (span.kind === 'suborchestration' && span.instanceId)
            location.hash = instanceHash(span.instanceId);
        }}
        renderRow={(span) => (
          <div class="gantt-row">
            <span class="gantt-label mono" title={span.name}>
              {span.name}
            </span>
            <span class="gantt-track">
              <span
                class={`gantt-bar kind-${span.kind} outcome-${span.outcome}`}
                style={{
                  left: pos(span.start),
                  width: `max(2px, ${(((span.end ?? now) - span.start) / width) * 100}%)`,
                }}
                title={`${span.kind} ${span.name}: ${formatDuration((span.end ?? now) - span.start)} (${span.outcome})`}
              />
            </span>
          </div>
        )}
      />
      {selected && (
        <p class="muted" role="status">
          {selected.kind} <code>{selected.name}</code> started{' '}
          {formatTime(new Date(selected.start).toISOString())}, took{' '}
          {formatDuration((selected.end ?? now) - selected.start)}, {selected.outcome}
          {selected.instanceId && (
            <>
              {' '}
              — <a href={instanceHash(selected.instanceId)}>open {selected.instanceId}</a>
            </>
          )}
        </p>
      )}
    </section>
  );
}
