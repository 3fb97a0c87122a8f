// The durable store: one SQLite database per app in the data folder. Every write that must be atomic
// (an episode, an activity completion, a client operation) runs inside `transaction`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

import {
  SCHEMA,
  type InstanceRow,
  type ListFilter,
  type MessageRow,
  type TimerRow,
  type WorkItemRow,
} from './schema.js';
import type { HistoryEvent, Message, RetryContext } from './types.js';

export type { InstanceRow, ListFilter, MessageRow, TimerRow, WorkItemRow } from './schema.js';

export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

type Row = Record<string, SQLInputValue>;

/** SQLite-backed state of one task hub. Synchronous: callers never interleave inside a transaction. */
export class DurableStore {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly cache = new Map<string, StatementSync>();
  private depth = 0;

  constructor(dataDir: string, options: { synchronous?: 'NORMAL' | 'FULL' } = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, 'durable.sqlite');
    try {
      this.db = new DatabaseSync(this.path);
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec(`PRAGMA synchronous = ${options.synchronous ?? 'FULL'}`);
      this.db.exec('PRAGMA busy_timeout = 5000');
      this.db.exec(SCHEMA);
    } catch (error) {
      throw new StoreError(`Could not open the durable store at ${this.path}.`, { cause: error });
    }
  }

  get isOpen(): boolean {
    return this.db.isOpen;
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /** Runs `fn` in one IMMEDIATE transaction; nested calls join the outer one. */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    this.depth = 1;
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.depth = 0;
    }
  }

  private stmt(sql: string): StatementSync {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, ...params: SQLInputValue[]): { changes: number; lastId: number } {
    const result = this.stmt(sql).run(...params);
    return { changes: Number(result.changes), lastId: Number(result.lastInsertRowid) };
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  // Instances

  getInstance(id: string): InstanceRow | undefined {
    return this.get<InstanceRow>('SELECT * FROM instances WHERE id = ?', id);
  }

  putInstance(row: InstanceRow): void {
    const keys = Object.keys(row);
    const sql = `INSERT OR REPLACE INTO instances (${keys.join(',')}) VALUES (${keys.map(() => '?').join(',')})`;
    this.run(sql, ...Object.values(row as unknown as Row));
  }

  updateInstance(id: string, fields: Partial<Omit<InstanceRow, 'id'>>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    const sql = `UPDATE instances SET ${keys.map((key) => `${key} = ?`).join(', ')} WHERE id = ?`;
    this.run(sql, ...Object.values(fields as Row), id);
  }

  listInstances(filter: ListFilter): InstanceRow[] {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (filter.createdFrom !== undefined) {
      where.push('created_at >= ?');
      params.push(filter.createdFrom);
    }
    if (filter.createdTo !== undefined) {
      where.push('created_at <= ?');
      params.push(filter.createdTo);
    }
    if (filter.statuses && filter.statuses.length > 0) {
      where.push(`status IN (${filter.statuses.map(() => '?').join(',')})`);
      params.push(...filter.statuses);
    }
    if (filter.idPrefix) {
      where.push('substr(id, 1, ?) = ?');
      params.push(filter.idPrefix.length, filter.idPrefix);
    }
    if (filter.after) {
      where.push('(created_at > ? OR (created_at = ? AND id > ?))');
      params.push(filter.after.createdAt, filter.after.createdAt, filter.after.id);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const sql = `SELECT * FROM instances ${clause} ORDER BY created_at, id LIMIT ?`;
    return this.db.prepare(sql).all(...params, filter.limit) as unknown as InstanceRow[];
  }

  /** Removes an instance and everything that belongs to it. */
  deleteInstance(id: string): boolean {
    this.run('DELETE FROM history WHERE instance_id = ?', id);
    this.run('DELETE FROM messages WHERE instance_id = ?', id);
    this.run('DELETE FROM work_items WHERE instance_id = ?', id);
    this.run('DELETE FROM timers WHERE instance_id = ?', id);
    return this.run('DELETE FROM instances WHERE id = ?', id).changes > 0;
  }

  // History

  appendHistory(instanceId: string, from: number, events: readonly HistoryEvent[]): void {
    events.forEach((event, index) => {
      this.run(
        'INSERT INTO history (instance_id, seq, event) VALUES (?, ?, ?)',
        instanceId,
        from + index,
        JSON.stringify(event),
      );
    });
  }

  readHistory(instanceId: string, offset = 0, limit = -1): HistoryEvent[] {
    const rows = this.all<{ event: string }>(
      'SELECT event FROM history WHERE instance_id = ? AND seq >= ? ORDER BY seq LIMIT ?',
      instanceId,
      offset,
      limit,
    );
    return rows.map((row) => JSON.parse(row.event) as HistoryEvent);
  }

  clearHistory(instanceId: string): void {
    this.run('DELETE FROM history WHERE instance_id = ?', instanceId);
  }

  // Messages

  addMessage(instanceId: string, executionId: string | null, message: Message, now: number): void {
    this.run(
      'INSERT INTO messages (instance_id, execution_id, kind, payload, created_at) VALUES (?, ?, ?, ?, ?)',
      instanceId,
      executionId,
      message.kind,
      JSON.stringify(message),
      now,
    );
  }

  readMessages(instanceId: string): MessageRow[] {
    const rows = this.all<{ id: number; instance_id: string; execution_id: string | null; payload: string }>(
      'SELECT id, instance_id, execution_id, payload FROM messages WHERE instance_id = ? ORDER BY id',
      instanceId,
    );
    return rows.map((row) => ({ ...row, message: JSON.parse(row.payload) as Message }));
  }

  deleteMessages(ids: readonly number[]): void {
    for (const id of ids) this.run('DELETE FROM messages WHERE id = ?', id);
  }

  instancesWithMessages(): string[] {
    return this.all<{ instance_id: string }>('SELECT DISTINCT instance_id FROM messages').map(
      (row) => row.instance_id,
    );
  }

  // Activity work items

  addWorkItem(item: Omit<WorkItemRow, 'id'>, now: number): number {
    return this.run(
      'INSERT INTO work_items (instance_id, execution_id, task_id, name, input, retry, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      item.instance_id,
      item.execution_id,
      item.task_id,
      item.name,
      item.input,
      item.retry ? JSON.stringify(item.retry) : null,
      now,
    ).lastId;
  }

  /** Work items not leased by `owner` or whose lease expired, oldest first. */
  claimableWorkItems(owner: string, now: number): WorkItemRow[] {
    const rows = this.all<Omit<WorkItemRow, 'retry'> & { retry: string | null }>(
      `SELECT id, instance_id, execution_id, task_id, name, input, retry FROM work_items
       WHERE lease_owner IS NULL OR lease_owner <> ? OR lease_expires < ? ORDER BY id`,
      owner,
      now,
    );
    return rows.map((row) => ({ ...row, retry: row.retry ? (JSON.parse(row.retry) as RetryContext) : null }));
  }

  leaseWorkItems(ids: readonly number[], owner: string, expires: number): void {
    for (const id of ids)
      this.run('UPDATE work_items SET lease_owner = ?, lease_expires = ? WHERE id = ?', owner, expires, id);
  }

  /** Deletes a work item; false when it was already gone (purged, terminated or a duplicate run). */
  deleteWorkItem(id: number): boolean {
    return this.run('DELETE FROM work_items WHERE id = ?', id).changes > 0;
  }

  // Timers

  addTimer(timer: Omit<TimerRow, 'id'>): void {
    this.run(
      'INSERT INTO timers (instance_id, execution_id, timer_id, fire_at, retry) VALUES (?, ?, ?, ?, ?)',
      timer.instance_id,
      timer.execution_id,
      timer.timer_id,
      timer.fire_at,
      timer.retry ? JSON.stringify(timer.retry) : null,
    );
  }

  nextTimerDue(): number | undefined {
    return this.get<{ due: number | null }>('SELECT MIN(fire_at) AS due FROM timers')?.due ?? undefined;
  }

  dueTimers(now: number): TimerRow[] {
    const rows = this.all<Omit<TimerRow, 'retry'> & { retry: string | null }>(
      'SELECT * FROM timers WHERE fire_at <= ? ORDER BY fire_at, id',
      now,
    );
    return rows.map((row) => ({ ...row, retry: row.retry ? (JSON.parse(row.retry) as RetryContext) : null }));
  }

  deleteTimer(id: number): void {
    this.run('DELETE FROM timers WHERE id = ?', id);
  }

  /** Drops the pending work and timers of an instance (completion, termination, continue-as-new). */
  clearPendingWork(instanceId: string): void {
    this.run('DELETE FROM work_items WHERE instance_id = ?', instanceId);
    this.run('DELETE FROM timers WHERE instance_id = ?', instanceId);
  }
}
