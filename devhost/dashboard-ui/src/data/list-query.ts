// The instance list view's state: what the URL holds, the management API query it becomes, and the
// filters the API cannot do (name, custom-status text), applied to the rows of the loaded page.
import { formatDuration, parseTime } from './format.js';
import { type Instance, instanceDuration } from './instance.js';
import { RUNTIME_STATUSES, type RuntimeStatus } from './status.js';

export const COLUMNS = [
  { id: 'instanceId', label: 'Instance id' },
  { id: 'name', label: 'Name' },
  { id: 'runtimeStatus', label: 'Status' },
  { id: 'createdTime', label: 'Created' },
  { id: 'lastUpdatedTime', label: 'Updated' },
  { id: 'duration', label: 'Duration' },
  { id: 'customStatus', label: 'Custom status' },
  { id: 'parentInstanceId', label: 'Parent' },
] as const;

export type ColumnId = (typeof COLUMNS)[number]['id'];

export const TIME_PRESETS = ['15m', '1h', '6h', '24h', '7d', '30d', 'all', 'custom'] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];

const PRESET_MS: Partial<Record<TimePreset, number>> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export const REFRESH_SECONDS = [0, 1, 5, 10] as const;
export type RefreshSeconds = (typeof REFRESH_SECONDS)[number];

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface ListFilter {
  statuses: RuntimeStatus[];
  /** Case-insensitive substring of the orchestrator name (applied to the loaded page). */
  name: string;
  /** Sent to the API as `instanceIdPrefix`. */
  idPrefix: string;
  /** Case-insensitive substring of the custom status as JSON text (applied to the loaded page). */
  customStatus: string;
  preset: TimePreset;
  /** ISO times for the `custom` preset. */
  from: string;
  to: string;
  top: number;
  sortBy: ColumnId;
  sortDir: 'asc' | 'desc';
  hidden: ColumnId[];
  refresh: RefreshSeconds;
}

export const DEFAULT_FILTER: ListFilter = {
  statuses: [],
  name: '',
  idPrefix: '',
  customStatus: '',
  preset: '24h',
  from: '',
  to: '',
  top: 50,
  sortBy: 'createdTime',
  sortDir: 'desc',
  hidden: [],
  refresh: 0,
};

const COLUMN_IDS: readonly string[] = COLUMNS.map((c) => c.id);

function isColumn(value: string): value is ColumnId {
  return COLUMN_IDS.includes(value);
}

/** URL query of a view; only what differs from the defaults, so links stay short. */
export function filterToSearch(filter: ListFilter): URLSearchParams {
  const params = new URLSearchParams();
  const d = DEFAULT_FILTER;
  if (filter.statuses.length > 0) params.set('status', filter.statuses.join(','));
  if (filter.name) params.set('name', filter.name);
  if (filter.idPrefix) params.set('prefix', filter.idPrefix);
  if (filter.customStatus) params.set('custom', filter.customStatus);
  if (filter.preset !== d.preset) params.set('range', filter.preset);
  if (filter.preset === 'custom' && filter.from) params.set('from', filter.from);
  if (filter.preset === 'custom' && filter.to) params.set('to', filter.to);
  if (filter.top !== d.top) params.set('top', String(filter.top));
  if (filter.sortBy !== d.sortBy || filter.sortDir !== d.sortDir)
    params.set('sort', `${filter.sortBy}:${filter.sortDir}`);
  if (filter.hidden.length > 0) params.set('hide', filter.hidden.join(','));
  if (filter.refresh !== d.refresh) params.set('refresh', String(filter.refresh));
  return params;
}

/** Reads a view from its URL query; anything malformed falls back to the default. */
export function filterFromSearch(params: URLSearchParams): ListFilter {
  const list = (key: string): string[] => (params.get(key) ?? '').split(',').filter(Boolean);
  const statuses = list('status').filter((s): s is RuntimeStatus =>
    (RUNTIME_STATUSES as readonly string[]).includes(s),
  );
  const preset = params.get('range') ?? '';
  const top = Number(params.get('top'));
  const [sortBy = '', sortDir = ''] = (params.get('sort') ?? '').split(':');
  const refresh = Number(params.get('refresh'));
  const validTime = (value: string | null): string => (value && parseTime(value) !== undefined ? value : '');
  return {
    statuses,
    name: params.get('name') ?? '',
    idPrefix: params.get('prefix') ?? '',
    customStatus: params.get('custom') ?? '',
    preset: (TIME_PRESETS as readonly string[]).includes(preset)
      ? (preset as TimePreset)
      : DEFAULT_FILTER.preset,
    from: validTime(params.get('from')),
    to: validTime(params.get('to')),
    top: Number.isInteger(top) && top >= 1 && top <= 1000 ? top : DEFAULT_FILTER.top,
    sortBy: isColumn(sortBy) ? sortBy : DEFAULT_FILTER.sortBy,
    sortDir: sortDir === 'asc' || sortDir === 'desc' ? sortDir : DEFAULT_FILTER.sortDir,
    hidden: list('hide').filter(isColumn),
    refresh: (REFRESH_SECONDS as readonly number[]).includes(refresh) ? (refresh as RefreshSeconds) : 0,
  };
}

/** The created-time window a filter means at `now`. */
export function resolveRange(filter: ListFilter, now: number): { from?: string; to?: string } {
  if (filter.preset === 'all') return {};
  if (filter.preset === 'custom') {
    const from = parseTime(filter.from);
    const to = parseTime(filter.to);
    return {
      from: from === undefined ? undefined : new Date(from).toISOString(),
      to: to === undefined ? undefined : new Date(to).toISOString(),
    };
  }
  const span = PRESET_MS[filter.preset] ?? 0;
  return { from: new Date(now - span).toISOString() };
}

/** Path and query of `GET /instances` for a filter, relative to the management base URL. */
export function buildListQuery(filter: ListFilter, now: number): string {
  const params = new URLSearchParams();
  const { from, to } = resolveRange(filter, now);
  if (from) params.set('createdTimeFrom', from);
  if (to) params.set('createdTimeTo', to);
  if (filter.statuses.length > 0) params.set('runtimeStatus', filter.statuses.join(','));
  if (filter.idPrefix) params.set('instanceIdPrefix', filter.idPrefix);
  params.set('showInput', 'false');
  params.set('top', String(filter.top));
  return `/instances?${params.toString()}`;
}

/** Whether the filters the API cannot apply keep this instance. */
export function matchesClientFilters(instance: Instance, filter: ListFilter): boolean {
  if (filter.name && !instance.name.toLowerCase().includes(filter.name.toLowerCase())) return false;
  if (filter.customStatus) {
    const custom = instance.customStatus === undefined ? '' : JSON.stringify(instance.customStatus);
    if (!custom.toLowerCase().includes(filter.customStatus.toLowerCase())) return false;
  }
  return true;
}

function sortKey(instance: Instance, column: ColumnId, now: number): string | number {
  switch (column) {
    case 'createdTime':
    case 'lastUpdatedTime':
      return parseTime(instance[column]) ?? 0;
    case 'duration':
      return instanceDuration(instance, now) ?? -1;
    case 'customStatus':
      return instance.customStatus === undefined ? '' : JSON.stringify(instance.customStatus);
    default:
      return instance[column] ?? '';
  }
}

/** Sorts a page of rows (the API returns pages in its own order). */
export function sortInstances(
  instances: Instance[],
  by: ColumnId,
  dir: 'asc' | 'desc',
  now: number,
): Instance[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...instances].sort((a, b) => {
    const ka = sortKey(a, by, now);
    const kb = sortKey(b, by, now);
    if (ka === kb) return a.instanceId.localeCompare(b.instanceId);
    return (ka < kb ? -1 : 1) * sign;
  });
}

/** Cell text of a column, for the table and for tests. */
export function cellText(instance: Instance, column: ColumnId, now: number): string {
  if (column === 'duration') return formatDuration(instanceDuration(instance, now));
  if (column === 'customStatus')
    return instance.customStatus === undefined ? '' : JSON.stringify(instance.customStatus);
  return instance[column] ?? '';
}
