// The history of one instance as a virtualised table, with a type filter and the selected event's
// full JSON beside it. Stays responsive for 10,000+ events: only visible rows are in the DOM.
import { useMemo, useState } from 'preact/hooks';

import { formatCount, formatDuration, formatTime, jsonPreview, parseTime } from '../data/format.js';
import type { HistoryEvent } from '../data/history.js';
import { instanceHash } from '../data/route.js';
import { JsonView } from './json-view';
import { Empty } from './states';
import { VirtualList } from './virtual-list';

const ROW_HEIGHT = 28;

function summary(event: HistoryEvent): string {
  if (event.reason || event.details) return [event.reason, event.details].filter(Boolean).join(' — ');
  if (event.result !== undefined) return jsonPreview(event.result, 120);
  if (event.input !== undefined) return jsonPreview(event.input, 120);
  if (event.fireAt) return `fires at ${formatTime(event.fireAt)}`;
  return '';
}

export function HistoryTable({ events, raw }: { events: HistoryEvent[]; raw: readonly unknown[] }) {
  const [typeFilter, setTypeFilter] = useState('');
  const [text, setText] = useState('');
  const [active, setActive] = useState(-1);
  const types = useMemo(() => [...new Set(events.map((e) => e.type))].sort(), [events]);
  const shown = useMemo(() => {
    const needle = text.toLowerCase();
    return events.filter(
      (e) =>
        (!typeFilter || e.type === typeFilter) &&
        (!needle ||
          (e.name ?? '').toLowerCase().includes(needle) ||
          summary(e).toLowerCase().includes(needle)),
    );
  }, [events, typeFilter, text]);
  const start = parseTime(events[0]?.timestamp);
  const selected = shown[active];

  if (events.length === 0)
    return <Empty title="No history">The host returned no history events for this instance.</Empty>;
  return (
    <section class="history" aria-label="History">
      <div class="filter-row">
        <label class="field">
          Event type
          <select value={typeFilter} onChange={(e) => (setTypeFilter(e.currentTarget.value), setActive(-1))}>
            <option value="">All ({formatCount(events.length)})</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          Name or result contains
          <input
            type="search"
            value={text}
            onInput={(e) => (setText(e.currentTarget.value), setActive(-1))}
          />
        </label>
        <span class="muted" data-testid="history-count">
          {formatCount(shown.length)} events
        </span>
      </div>
      <div class="history-body">
        <div class="history-grid">
          <div class="history-row history-head" role="row">
            <span role="columnheader">#</span>
            <span role="columnheader">Time (UTC)</span>
            <span role="columnheader">+</span>
            <span role="columnheader">Event</span>
            <span role="columnheader">Name</span>
            <span role="columnheader">Details</span>
          </div>
          <VirtualList
            items={shown}
            rowHeight={ROW_HEIGHT}
            height={Math.min(560, Math.max(ROW_HEIGHT * 3, shown.length * ROW_HEIGHT))}
            label="History events"
            testId="history-list"
            activeIndex={active}
            onActiveChange={setActive}
            renderRow={(e) => (
              <div class="history-row">
                <span role="gridcell" class="muted">
                  {e.index + 1}
                </span>
                <span role="gridcell">{formatTime(e.timestamp)}</span>
                <span role="gridcell" class="muted">
                  {start === undefined ? '' : formatDuration((parseTime(e.timestamp) ?? start) - start)}
                </span>
                <span role="gridcell" class={e.type.endsWith('Failed') ? 'tone-danger-text' : ''}>
                  {e.type}
                </span>
                <span role="gridcell" class="mono">
                  {e.instanceId ? <a href={instanceHash(e.instanceId)}>{e.name ?? e.instanceId}</a> : e.name}
                </span>
                <span role="gridcell" class="mono clip">
                  {summary(e)}
                </span>
              </div>
            )}
          />
        </div>
        {selected && (
          <JsonView title={`Event ${selected.index + 1}: ${selected.type}`} value={raw[selected.index]} />
        )}
      </div>
    </section>
  );
}
