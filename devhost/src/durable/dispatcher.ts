// The orchestration dispatcher: instances with pending messages run one episode at a time each, up to
// `limit` instances at once. An episode's writes commit in one transaction. Because this process owns
// the store, the played history of each live instance is cached in memory as JSON texts.
import type { FunctionInvoker } from '../contracts.js';
import type { Logger } from '../log.js';
import type { ActivityRunner } from './activity-runner.js';
import { runEpisode, type EpisodePlan, type ReplayOutcome } from './episode.js';
import { isReplayed, playedJson } from './history.js';
import { IdleSignal } from './idle-signal.js';
import { continueAsNew, createInstance } from './lifecycle.js';
import { replayOrchestration } from './replay.js';
import type { DurableStore, InstanceRow, WorkItemRow } from './store.js';
import type { TimerScheduler } from './timer-scheduler.js';
import { EventType } from './types.js';

/** Longest an episode waits for more activity results of the same instance. */
const MAX_HOLD_MS = 50;
const MIN_HOLD_MS = 1;

export interface DispatcherOptions {
  store: DurableStore;
  invoker: FunctionInvoker;
  limit: number;
  leaseOwner: string;
  leaseMs: number;
  logger: Logger;
  activities: ActivityRunner;
  timers: TimerScheduler;
}

export interface DispatcherStats {
  episodes: number;
  replayedEvents: number;
}

export class Dispatcher {
  readonly stats: DispatcherStats = { episodes: 0, replayedEvents: 0 };
  private readonly ready = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly played = new Map<string, string[]>();
  private readonly idle = new IdleSignal();
  private readonly held = new Map<string, NodeJS.Timeout>();
  private readonly replayMs = new Map<string, number>();
  private stopped = false;
  /** Called after an execution ended (completed, failed, terminated, continued as new). */
  onEnded: (instanceId: string) => void = () => undefined;

  constructor(private readonly options: DispatcherOptions) {}

  /** Instances got new messages. */
  notify(instanceIds: Iterable<string>): void {
    for (const id of instanceIds) {
      if (this.running.has(id)) this.again.add(id);
      else this.ready.add(id);
    }
    this.pump();
  }

  /**
   * Activity results arrived. While more of the instance's activities are still running, the episode
   * waits up to about one replay's cost so that results finishing close together share one episode:
   * replaying a long history per result would make a fan-out quadratic.
   */
  notifyCompletions(instanceIds: Iterable<string>): void {
    const now: string[] = [];
    for (const id of instanceIds) {
      if (this.options.activities.pendingFor(id) === 0) {
        this.release(id);
        now.push(id);
        continue;
      }
      if (!this.held.has(id)) {
        this.held.set(
          id,
          setTimeout(
            () => {
              this.held.delete(id);
              this.notify([id]);
            },
            Math.min(Math.max(this.replayMs.get(id) ?? 0, MIN_HOLD_MS), MAX_HOLD_MS),
          ),
        );
      }
    }
    if (now.length > 0) this.notify(now);
  }

  private release(id: string): void {
    const timer = this.held.get(id);
    if (timer) clearTimeout(timer);
    this.held.delete(id);
  }

  /** Forgets cached history (after a purge or a restart with the same id). */
  forget(instanceId: string): void {
    this.played.delete(instanceId);
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.ready.clear();
    for (const timer of this.held.values()) clearTimeout(timer);
    this.held.clear();
    if (this.running.size === 0) return;
    await this.idle.wait(timeoutMs);
  }

  private pump(): void {
    for (const id of this.ready) {
      if (this.stopped || this.running.size >= this.options.limit) return;
      this.ready.delete(id);
      if (this.running.has(id)) {
        this.again.add(id);
        continue;
      }
      this.running.add(id);
      void this.process(id).finally(() => {
        this.running.delete(id);
        if (this.again.delete(id)) this.ready.add(id);
        if (this.running.size === 0) this.idle.notify();
        this.pump();
      });
    }
  }

  private async process(id: string): Promise<void> {
    const { store, logger } = this.options;
    try {
      const row = store.getInstance(id);
      const messages = store.readMessages(id);
      if (messages.length === 0) return;
      if (!row) {
        store.transaction(() => store.deleteMessages(messages.map((m) => m.id)));
        return;
      }
      const played = this.playedHistory(row);
      const now = Date.now();
      const plan = await runEpisode(row, messages, played, (history) => this.replay(row, history), now);
      if (this.stopped || !store.isOpen) return;
      this.commit(row, plan, played, now);
    } catch (error) {
      if (!store.isOpen) return;
      logger.error('durable.episode.failed', { instanceId: id, error });
    }
  }

  private playedHistory(row: InstanceRow): string[] {
    let played = this.played.get(row.id);
    if (!played) {
      played = this.options.store.readHistory(row.id).filter(isReplayed).map(playedJson);
      this.played.set(row.id, played);
    }
    return played;
  }

  private async replay(row: InstanceRow, history: string[]): Promise<ReplayOutcome> {
    this.stats.episodes++;
    this.stats.replayedEvents += history.length;
    const started = performance.now();
    const outcome = await replayOrchestration(this.options.invoker, row, history, this.options.logger);
    this.replayMs.set(row.id, performance.now() - started);
    return outcome;
  }

  private commit(row: InstanceRow, plan: EpisodePlan, played: string[], now: number): void {
    const { store, logger } = this.options;
    const work: WorkItemRow[] = [];
    const notify = new Set<string>();
    let earliestTimer: number | undefined;
    const leaseExpires = now + this.options.leaseMs;

    store.transaction(() => {
      store.deleteMessages(plan.consumed);
      if (plan.history.length > 0) store.appendHistory(row.id, row.history_count, plan.history);
      store.updateInstance(row.id, {
        ...plan.instance,
        history_count: row.history_count + plan.history.length,
      });
      for (const item of plan.workItems) {
        const id = store.addWorkItem(item, now);
        work.push({ ...item, id });
      }
      if (work.length > 0)
        store.leaseWorkItems(
          work.map((item) => item.id),
          this.options.leaseOwner,
          leaseExpires,
        );
      for (const timer of plan.timers) {
        store.addTimer(timer);
        earliestTimer = Math.min(earliestTimer ?? timer.fire_at, timer.fire_at);
      }
      for (const child of plan.children) {
        const created = createInstance(
          store,
          {
            id: child.instanceId,
            name: child.name,
            input: child.input,
            parent: {
              id: row.id,
              executionId: row.execution_id,
              taskId: child.parentTaskId,
              retry: child.retry,
            },
          },
          now,
        );
        if (created.created) {
          this.played.delete(child.instanceId);
          notify.add(child.instanceId);
          continue;
        }
        const failure = {
          ErrorType: 'InstanceExists',
          ErrorMessage: `An instance with ID '${child.instanceId}' is already running.`,
        };
        store.addMessage(
          row.id,
          row.execution_id,
          { kind: 'subFailed', taskId: child.parentTaskId, failure },
          now,
        );
        notify.add(row.id);
      }
      for (const out of plan.outgoing) {
        store.addMessage(out.instanceId, out.executionId, out.message, now);
        notify.add(out.instanceId);
      }
      if (plan.ended === 'continuedAsNew') {
        continueAsNew(store, row, plan.continueAsNewInput ?? 'null', now);
        notify.add(row.id);
      } else if (plan.ended) {
        store.clearPendingWork(row.id);
      }
    });

    if (plan.ended) {
      this.played.delete(row.id);
      this.replayMs.delete(row.id);
      this.options.activities.dropQueued(row.id, row.execution_id);
    } else for (const item of plan.history) if (isReplayed(item)) played.push(playedJson(item));

    if (plan.history.some((item) => item.EventType === EventType.ExecutionStarted)) {
      logger.info('durable.instance.started', {
        instanceId: row.id,
        name: row.name,
        executionId: row.execution_id,
      });
    }
    logger.debug('durable.episode', {
      instanceId: row.id,
      messages: plan.consumed.length,
      events: plan.history.length,
      activities: work.length,
      timers: plan.timers.length,
      children: plan.children.length,
    });
    if (plan.ended) {
      logger.info(`durable.instance.${plan.ended}`, { instanceId: row.id, name: row.name });
      if (plan.ended !== 'continuedAsNew') this.onEnded(row.id);
    }
    if (work.length > 0) this.options.activities.enqueue(work);
    if (earliestTimer !== undefined) this.options.timers.added(earliestTimer);
    if (notify.size > 0) this.notify(notify);
  }
}
