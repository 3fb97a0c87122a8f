// The writes one episode plans; the dispatcher commits them in one transaction.
import type { InstanceRow, TimerRow, WorkItemRow } from './store.js';
import type { HistoryEvent, Message, RetryContext } from './types.js';

export interface ChildStart {
  instanceId: string;
  name: string;
  input: string;
  parentTaskId: number;
  retry: RetryContext | null;
}

export interface OutgoingMessage {
  instanceId: string;
  executionId: string | null;
  message: Message;
}

export interface EpisodePlan {
  consumed: number[];
  history: HistoryEvent[];
  instance: Partial<Omit<InstanceRow, 'id'>>;
  workItems: Omit<WorkItemRow, 'id'>[];
  timers: Omit<TimerRow, 'id'>[];
  children: ChildStart[];
  outgoing: OutgoingMessage[];
  /** Set when the execution ended (completed, failed, terminated, continued as new). */
  ended?: 'completed' | 'failed' | 'terminated' | 'continuedAsNew';
  continueAsNewInput?: string;
  /** Whether the engine ran (else only control events were recorded). */
  replayed: boolean;
}
