// Store operations that create, reset and remove instances, shared by the client APIs and the
// dispatcher (sub-orchestrations). Callers run them inside a store transaction.
import { randomUUID } from 'node:crypto';

import type { DurableStore, InstanceRow } from './store.js';
import { isTerminal, type RetryContext } from './types.js';

export interface NewInstance {
  id: string;
  name: string;
  /** JSON text of the input, or null for none. */
  input: string | null;
  parent?: { id: string; executionId: string; taskId: number; retry: RetryContext | null };
}

export type CreateResult = { created: true; row: InstanceRow } | { created: false; existing: InstanceRow };

/**
 * Creates an instance with its start message, replacing a finished instance of the same id (its
 * history goes). A Pending, Running or Suspended instance of that id is left alone.
 */
export function createInstance(store: DurableStore, spec: NewInstance, now: number): CreateResult {
  const existing = store.getInstance(spec.id);
  if (existing && !isTerminal(existing.status)) return { created: false, existing };
  if (existing) store.deleteInstance(spec.id);

  const row: InstanceRow = {
    id: spec.id,
    name: spec.name,
    execution_id: randomUUID().replaceAll('-', ''),
    status: 'Pending',
    input: spec.input,
    output: null,
    custom_status: null,
    failure: null,
    created_at: now,
    updated_at: now,
    parent_id: spec.parent?.id ?? null,
    parent_execution_id: spec.parent?.executionId ?? null,
    parent_task_id: spec.parent?.taskId ?? null,
    parent_retry: spec.parent?.retry ? JSON.stringify(spec.parent.retry) : null,
    next_event_id: 0,
    scheduled_actions: 0,
    history_count: 0,
  };
  store.putInstance(row);
  store.addMessage(row.id, row.execution_id, { kind: 'start', input: spec.input }, now);
  return { created: true, row };
}

/** Starts the next execution of a continued-as-new instance: fresh history, new execution id. */
export function continueAsNew(store: DurableStore, row: InstanceRow, input: string, now: number): string {
  const executionId = randomUUID().replaceAll('-', '');
  store.clearHistory(row.id);
  store.clearPendingWork(row.id);
  store.updateInstance(row.id, {
    execution_id: executionId,
    input,
    status: 'ContinuedAsNew',
    updated_at: now,
    next_event_id: 0,
    scheduled_actions: 0,
    history_count: 0,
  });
  store.addMessage(row.id, executionId, { kind: 'start', input }, now);
  return executionId;
}

export function newInstanceId(): string {
  return randomUUID().replaceAll('-', '');
}
