// The table of one page of instances: sortable headers, hideable columns, row selection.
import { cellText, COLUMNS, type ColumnId, type ListFilter } from '../data/list-query.js';
import { formatCount, formatTime, jsonPreview } from '../data/format.js';
import { readProgress } from '../data/progress.js';
import type { Instance } from '../data/instance.js';
import { instanceHash } from '../data/route.js';
import { StatusBadge } from './states';

export interface InstanceTableProps {
  rows: Instance[];
  filter: ListFilter;
  now: number;
  selected: ReadonlySet<string>;
  selectable: boolean;
  onSort: (column: ColumnId) => void;
  onSelect: (ids: string[], selected: boolean) => void;
}

function Cell({ instance, column, now }: { instance: Instance; column: ColumnId; now: number }) {
  switch (column) {
    case 'instanceId':
      return (
        <a href={instanceHash(instance.instanceId)} class="mono clip-id" title={instance.instanceId}>
          {instance.instanceId}
        </a>
      );
    case 'runtimeStatus':
      return <StatusBadge status={instance.runtimeStatus} />;
    case 'createdTime':
    case 'lastUpdatedTime':
      return <time dateTime={instance[column]}>{formatTime(instance[column])}</time>;
    case 'customStatus': {
      const progress = readProgress(instance.customStatus);
      if (progress) {
        const done = progress.succeeded + progress.failed + progress.skipped;
        return (
          <span class="mini-progress" title={cellText(instance, column, now)}>
            <span class="mini-bar" aria-hidden="true">
              <span style={{ width: `${Math.min(100, progress.percent)}%` }} />
            </span>
            {Math.round(progress.percent)}% · {formatCount(done)}/{formatCount(progress.total)}
            {progress.failed > 0 && (
              <span class="tone-danger-text"> · {formatCount(progress.failed)} failed</span>
            )}
          </span>
        );
      }
      return (
        <span class="mono clip" title={cellText(instance, column, now)}>
          {jsonPreview(instance.customStatus, 60)}
        </span>
      );
    }
    case 'parentInstanceId':
      return instance.parentInstanceId ? (
        <a
          href={instanceHash(instance.parentInstanceId)}
          class="mono clip-id"
          title={instance.parentInstanceId}
        >
          {instance.parentInstanceId}
        </a>
      ) : null;
    default:
      return <>{cellText(instance, column, now)}</>;
  }
}

export function InstanceTable({
  rows,
  filter,
  now,
  selected,
  selectable,
  onSort,
  onSelect,
}: InstanceTableProps) {
  const columns = COLUMNS.filter((c) => !filter.hidden.includes(c.id));
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.instanceId));
  return (
    <div class="table-wrap">
      <table class="instances" data-testid="instance-table">
        <thead>
          <tr>
            {selectable && (
              <th class="select">
                <input
                  type="checkbox"
                  aria-label="Select all on this page"
                  checked={allSelected}
                  onChange={() =>
                    onSelect(
                      rows.map((r) => r.instanceId),
                      !allSelected,
                    )
                  }
                />
              </th>
            )}
            {columns.map((c) => {
              const sorted = filter.sortBy === c.id;
              return (
                <th
                  key={c.id}
                  aria-sort={sorted ? (filter.sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    class="sort"
                    onClick={() => onSort(c.id)}
                    data-testid={`sort-${c.id}`}
                  >
                    {c.label}
                    <span aria-hidden="true">{sorted ? (filter.sortDir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((instance) => (
            <tr
              key={instance.instanceId}
              data-instance-id={instance.instanceId}
              class={selected.has(instance.instanceId) ? 'selected' : ''}
            >
              {selectable && (
                <td class="select">
                  <input
                    type="checkbox"
                    aria-label={`Select ${instance.instanceId}`}
                    checked={selected.has(instance.instanceId)}
                    onChange={(e) => onSelect([instance.instanceId], e.currentTarget.checked)}
                  />
                </td>
              )}
              {columns.map((c) => (
                <td key={c.id} data-column={c.id}>
                  <Cell instance={instance} column={c.id} now={now} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
