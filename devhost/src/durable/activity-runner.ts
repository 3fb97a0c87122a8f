// Runs activity work items in this process through the invoker, at most `limit` at a time. Each
// completion becomes a message in the same transaction that deletes its work item; completions that
// finish together are committed together.
import type { FunctionInvoker } from '../contracts.js';
import type { Logger } from '../log.js';
import { failureFromError } from './failure.js';
import { IdleSignal } from './idle-signal.js';
import type { DurableStore, WorkItemRow } from './store.js';
import { typedDataToJson } from './typed-data.js';
import type { Message } from './types.js';

export interface ActivityRunnerOptions {
  store: DurableStore;
  invoker: FunctionInvoker;
  limit: number;
  logger: Logger;
  /** Instances that got new messages. */
  onMessages: (instanceIds: readonly string[]) => void;
}

interface Completion {
  item: WorkItemRow;
  message: Message;
}

export class ActivityRunner {
  private queue: WorkItemRow[] = [];
  private head = 0;
  /** Work items per instance that are queued or running, for batching completions into episodes. */
  private readonly perInstance = new Map<string, number>();
  private readonly pendingCompletions: Completion[] = [];
  private readonly idle = new IdleSignal();
  private active = 0;
  private flushScheduled = false;
  private stopped = false;

  constructor(private readonly options: ActivityRunnerOptions) {}

  enqueue(items: readonly WorkItemRow[]): void {
    for (const item of items) {
      this.queue.push(item);
      this.perInstance.set(item.instance_id, (this.perInstance.get(item.instance_id) ?? 0) + 1);
    }
    this.pump();
  }

  /**
   * Drops the queued (not yet started) work of an execution that ended, so a terminated fan-out does
   * not go on calling activities. Running ones finish; their results are dropped with the work item.
   */
  dropQueued(instanceId: string, executionId: string): void {
    const keep: WorkItemRow[] = [];
    let dropped = 0;
    for (let i = this.head; i < this.queue.length; i++) {
      const item = this.queue[i];
      if (!item) continue;
      if (item.instance_id === instanceId && item.execution_id === executionId) dropped++;
      else keep.push(item);
    }
    if (dropped === 0) return;
    this.queue = keep;
    this.head = 0;
    const left = (this.perInstance.get(instanceId) ?? dropped) - dropped;
    if (left > 0) this.perInstance.set(instanceId, left);
    else this.perInstance.delete(instanceId);
    this.options.logger.info('durable.activity.dropped', { instanceId, count: dropped });
  }

  /** Activities of this instance still queued or running. */
  pendingFor(instanceId: string): number {
    return this.perInstance.get(instanceId) ?? 0;
  }

  get inFlight(): number {
    return this.active;
  }

  /** Stops taking work; resolves when running activities finished or after `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    if (this.active === 0) return;
    await this.idle.wait(timeoutMs);
  }

  private pump(): void {
    while (!this.stopped && this.active < this.options.limit && this.head < this.queue.length) {
      const item = this.queue[this.head++];
      if (item) void this.run(item);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private async run(item: WorkItemRow): Promise<void> {
    this.active++;
    const message = await this.invoke(item);
    this.active--;
    this.pendingCompletions.push({ item, message });
    this.scheduleFlush();
    this.pump();
  }

  private async invoke(item: WorkItemRow): Promise<Message> {
    const { invoker, logger } = this.options;
    const fn = invoker.find(item.name);
    const retry = item.retry ? { retry: item.retry } : {};
    if (!fn) {
      logger.warn('durable.activity.notFound', { instanceId: item.instance_id, name: item.name });
      const failure = {
        ErrorType: 'FunctionNotFound',
        ErrorMessage: `The activity function '${item.name}' is not registered.`,
      };
      return { kind: 'activityFailed', taskId: item.task_id, failure, ...retry };
    }
    try {
      const result = await invoker.invoke(item.name, [{ name: fn.triggerName, data: { json: item.input } }], {
        logProps: { instanceId: item.instance_id, taskId: item.task_id },
      });
      return { kind: 'activityCompleted', taskId: item.task_id, result: typedDataToJson(result.returnValue) };
    } catch (error) {
      logger.info('durable.activity.failed', {
        instanceId: item.instance_id,
        name: item.name,
        taskId: item.task_id,
      });
      return { kind: 'activityFailed', taskId: item.task_id, failure: failureFromError(error), ...retry };
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pendingCompletions.splice(0);
    if (batch.length === 0) return;
    for (const { item } of batch) {
      const left = (this.perInstance.get(item.instance_id) ?? 1) - 1;
      if (left > 0) this.perInstance.set(item.instance_id, left);
      else this.perInstance.delete(item.instance_id);
    }
    const { store, logger } = this.options;
    const now = Date.now();
    let touched: string[];
    try {
      touched = store.transaction(() => {
        const ids = new Set<string>();
        for (const { item, message } of batch) {
          // A work item already gone was purged, terminated or superseded: drop its result.
          if (!store.deleteWorkItem(item.id)) continue;
          store.addMessage(item.instance_id, item.execution_id, message, now);
          ids.add(item.instance_id);
        }
        return [...ids];
      });
    } catch (error) {
      if (!store.isOpen) return;
      logger.error('durable.activity.commitFailed', { count: batch.length, error });
      return;
    }
    if (touched.length > 0) this.options.onMessages(touched);
    if (this.active === 0) this.idle.notify();
  }
}
