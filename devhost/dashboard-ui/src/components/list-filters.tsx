// The filter bar of the instance list. Text fields apply after typing stops.
import { useEffect, useState } from 'preact/hooks';

import { useDebounced } from '../hooks';
import {
  COLUMNS,
  type ListFilter,
  PAGE_SIZES,
  REFRESH_SECONDS,
  type RefreshSeconds,
  TIME_PRESETS,
  type TimePreset,
} from '../data/list-query.js';
import { RUNTIME_STATUSES, type RuntimeStatus } from '../data/status.js';

const PRESET_LABELS: Record<TimePreset, string> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  all: 'Any time',
  custom: 'Custom range',
};

function TextFilter(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  placeholder?: string;
}) {
  const [text, setText] = useState(props.value);
  const settled = useDebounced(text, 300);
  useEffect(() => setText(props.value), [props.value]);
  useEffect(() => {
    if (settled !== props.value) props.onChange(settled);
  }, [settled]);
  return (
    <label class="field">
      {props.label}
      <input
        type="search"
        value={text}
        placeholder={props.placeholder}
        data-testid={props.testId}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && props.onChange(e.currentTarget.value)}
      />
    </label>
  );
}

/** `datetime-local` shows local time; the filter keeps ISO UTC. */
function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function fromLocalInput(value: string): string {
  return value ? new Date(value).toISOString() : '';
}

export function ListFilters({
  filter,
  onChange,
}: {
  filter: ListFilter;
  onChange: (f: Partial<ListFilter>) => void;
}) {
  const toggleStatus = (status: RuntimeStatus): void => {
    const has = filter.statuses.includes(status);
    onChange({ statuses: has ? filter.statuses.filter((s) => s !== status) : [...filter.statuses, status] });
  };
  return (
    <form class="filters" role="search" aria-label="Filter instances" onSubmit={(e) => e.preventDefault()}>
      <fieldset class="status-chips">
        <legend>Status</legend>
        {RUNTIME_STATUSES.map((status) => (
          <button
            type="button"
            key={status}
            class="chip"
            aria-pressed={filter.statuses.includes(status)}
            data-testid={`status-${status}`}
            onClick={() => toggleStatus(status)}
          >
            {status}
          </button>
        ))}
      </fieldset>
      <div class="filter-row">
        <TextFilter
          label="Name contains"
          value={filter.name}
          testId="filter-name"
          onChange={(name) => onChange({ name })}
        />
        <TextFilter
          label="Id starts with"
          value={filter.idPrefix}
          testId="filter-prefix"
          onChange={(idPrefix) => onChange({ idPrefix })}
        />
        <TextFilter
          label="Custom status contains"
          value={filter.customStatus}
          testId="filter-custom"
          onChange={(customStatus) => onChange({ customStatus })}
        />
        <label class="field">
          Created
          <select
            value={filter.preset}
            data-testid="filter-range"
            onChange={(e) => onChange({ preset: e.currentTarget.value as TimePreset })}
          >
            {TIME_PRESETS.map((p) => (
              <option key={p} value={p}>
                {PRESET_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        {filter.preset === 'custom' && (
          <>
            <label class="field">
              From
              <input
                type="datetime-local"
                value={toLocalInput(filter.from)}
                onChange={(e) => onChange({ from: fromLocalInput(e.currentTarget.value) })}
              />
            </label>
            <label class="field">
              To
              <input
                type="datetime-local"
                value={toLocalInput(filter.to)}
                onChange={(e) => onChange({ to: fromLocalInput(e.currentTarget.value) })}
              />
            </label>
          </>
        )}
        <label class="field">
          Page size
          <select
            value={String(filter.top)}
            onChange={(e) => onChange({ top: Number(e.currentTarget.value) })}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          Auto-refresh
          <select
            value={String(filter.refresh)}
            data-testid="filter-refresh"
            onChange={(e) => onChange({ refresh: Number(e.currentTarget.value) as RefreshSeconds })}
          >
            {REFRESH_SECONDS.map((s) => (
              <option key={s} value={String(s)}>
                {s === 0 ? 'Off' : `Every ${s} s`}
              </option>
            ))}
          </select>
        </label>
        <details class="columns-menu">
          <summary>Columns</summary>
          <div class="menu">
            {COLUMNS.map((c) => (
              <label key={c.id} class="inline">
                <input
                  type="checkbox"
                  checked={!filter.hidden.includes(c.id)}
                  data-testid={`column-${c.id}`}
                  onChange={() =>
                    onChange({
                      hidden: filter.hidden.includes(c.id)
                        ? filter.hidden.filter((h) => h !== c.id)
                        : [...filter.hidden, c.id],
                    })
                  }
                />
                {c.label}
              </label>
            ))}
          </div>
        </details>
      </div>
    </form>
  );
}
