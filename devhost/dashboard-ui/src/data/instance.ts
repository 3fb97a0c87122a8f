// The instance status document of the management API, read defensively: hosts differ in casing,
// send statuses as names or numbers, and omit fields they do not have.
import { parseTime } from './format.js';
import { type InstanceStatusName, toRuntimeStatus } from './status.js';

export interface Instance {
  instanceId: string;
  name: string;
  runtimeStatus: InstanceStatusName;
  createdTime?: string;
  lastUpdatedTime?: string;
  input?: unknown;
  output?: unknown;
  customStatus?: unknown;
  parentInstanceId?: string;
  /** Raw history events when asked for with `showHistory=true`. */
  historyEvents?: unknown[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a field whatever its casing (`instanceId`, `InstanceId`, `instanceID`). */
export function field(record: Json, name: string): unknown {
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Values the host stored as serialized JSON strings come back parsed when they parse. */
function maybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!/^[[{"]/.test(trimmed)) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

export function normalizeInstance(raw: unknown): Instance | undefined {
  if (!isRecord(raw)) return undefined;
  const instanceId = text(field(raw, 'instanceId')) ?? text(field(raw, 'id'));
  if (instanceId === undefined) return undefined;

  const history = field(raw, 'historyEvents');
  const parent =
    text(field(raw, 'parentInstanceId')) ??
    (isRecord(field(raw, 'parentInstance'))
      ? text(field(field(raw, 'parentInstance') as Json, 'instanceId'))
      : undefined);
  return {
    instanceId,
    name: text(field(raw, 'name')) ?? '',
    runtimeStatus: toRuntimeStatus(field(raw, 'runtimeStatus')),
    createdTime: text(field(raw, 'createdTime')),
    lastUpdatedTime: text(field(raw, 'lastUpdatedTime')),
    input: maybeJson(field(raw, 'input')),
    output: maybeJson(field(raw, 'output')),
    customStatus: maybeJson(field(raw, 'customStatus')),
    parentInstanceId: parent,
    historyEvents: Array.isArray(history) ? (history as unknown[]) : undefined,
  };
}

export function normalizeInstances(raw: unknown): Instance[] {
  if (!Array.isArray(raw)) return [];
  return raw.map(normalizeInstance).filter((i): i is Instance => i !== undefined);
}

/** Running time: to the last update for finished instances, to `now` for running ones. */
export function instanceDuration(instance: Instance, now: number): number | undefined {
  const created = parseTime(instance.createdTime);
  if (created === undefined) return undefined;
  const running = ['Running', 'Pending', 'Suspended', 'ContinuedAsNew'].includes(instance.runtimeStatus);
  const end = running ? now : parseTime(instance.lastUpdatedTime);
  return end === undefined ? undefined : Math.max(0, end - created);
}
