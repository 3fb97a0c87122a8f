// The durable store's tables and the row shapes read from them. Times are epoch milliseconds; inputs,
// outputs and results are JSON texts; history events are stored as the JSON the replay engine reads.
import type { Message, RetryContext, RuntimeStatus } from './types.js';

export interface InstanceRow {
  id: string;
  name: string;
  execution_id: string;
  status: RuntimeStatus;
  input: string | null;
  output: string | null;
  custom_status: string | null;
  failure: string | null;
  created_at: number;
  updated_at: number;
  parent_id: string | null;
  parent_execution_id: string | null;
  parent_task_id: number | null;
  parent_retry: string | null;
  next_event_id: number;
  scheduled_actions: number;
  history_count: number;
}

export interface MessageRow {
  id: number;
  instance_id: string;
  execution_id: string | null;
  message: Message;
}

export interface WorkItemRow {
  id: number;
  instance_id: string;
  execution_id: string;
  task_id: number;
  name: string;
  input: string;
  retry: RetryContext | null;
}

export interface TimerRow {
  id: number;
  instance_id: string;
  execution_id: string;
  timer_id: number;
  fire_at: number;
  retry: RetryContext | null;
}

export interface ListFilter {
  createdFrom?: number;
  createdTo?: number;
  statuses?: RuntimeStatus[];
  idPrefix?: string;
  after?: { createdAt: number; id: string };
  limit: number;
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS instances (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, execution_id TEXT NOT NULL, status TEXT NOT NULL,
  input TEXT, output TEXT, custom_status TEXT, failure TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  parent_id TEXT, parent_execution_id TEXT, parent_task_id INTEGER, parent_retry TEXT,
  next_event_id INTEGER NOT NULL DEFAULT 0, scheduled_actions INTEGER NOT NULL DEFAULT 0,
  history_count INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS instances_created ON instances (created_at, id);
CREATE TABLE IF NOT EXISTS history (
  instance_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL,
  PRIMARY KEY (instance_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT,
  kind TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS messages_instance ON messages (instance_id, id);
CREATE TABLE IF NOT EXISTS work_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT NOT NULL,
  task_id INTEGER NOT NULL, name TEXT NOT NULL, input TEXT NOT NULL, retry TEXT,
  lease_owner TEXT, lease_expires INTEGER, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS work_items_instance ON work_items (instance_id);
CREATE TABLE IF NOT EXISTS timers (
  id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT NOT NULL,
  timer_id INTEGER NOT NULL, fire_at INTEGER NOT NULL, retry TEXT);
CREATE INDEX IF NOT EXISTS timers_fire ON timers (fire_at);
CREATE INDEX IF NOT EXISTS timers_instance ON timers (instance_id);
`;
