// Instance status JSON as the management API and the client RPC API return it.
import { toStatusHistory } from './history.js';
import type { InstanceRow } from './store.js';
import type { HistoryEvent } from './types.js';

/** ISO time to the second with `Z`, as the Durable extension writes status times. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parseJsonText(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface StatusOptions {
  showInput: boolean;
  history?: readonly HistoryEvent[];
  showHistoryOutput?: boolean;
  /** Non-standard paging of `historyEvents`: skip this many converted events, return at most `limit`. */
  historyOffset?: number;
  historyLimit?: number;
}

export function toStatusJson(row: InstanceRow, options: StatusOptions): Record<string, unknown> {
  const status: Record<string, unknown> = {
    name: row.name,
    instanceId: row.id,
    runtimeStatus: row.status,
    input: options.showInput ? parseJsonText(row.input) : null,
    customStatus: parseJsonText(row.custom_status),
    output: parseJsonText(row.output),
    createdTime: isoSeconds(row.created_at),
    lastUpdatedTime: isoSeconds(row.updated_at),
  };
  // Not in Azure's document; the dashboard links sub-orchestrations to their parent with it.
  if (row.parent_id) status.parentInstanceId = row.parent_id;
  if (options.history) {
    let events = toStatusHistory(options.history, { showOutput: options.showHistoryOutput ?? false });
    const offset = options.historyOffset ?? 0;
    if (offset > 0 || options.historyLimit !== undefined) {
      events = events.slice(
        offset,
        options.historyLimit === undefined ? undefined : offset + options.historyLimit,
      );
    }
    status.historyEvents = events;
    status.history = events;
  }
  return status;
}
