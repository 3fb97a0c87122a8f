// The durable backend of one function app: SQLite store, dispatcher, activity runner, timers and the
// Durable HTTP APIs (docs/contracts.md, devhost/src/contracts.ts).
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';

import type { CreateDurableExtension, DurableExtension, DurableExtensionOptions } from '../contracts.js';
import { ActivityRunner } from './activity-runner.js';
import { ClientOps } from './client-ops.js';
import { Dispatcher } from './dispatcher.js';
import { createHttpApi } from './http-api.js';
import { DurableStore } from './store.js';
import { TimerScheduler } from './timer-scheduler.js';
import { clientBindingData, type UrlOptions } from './urls.js';

const STOP_WAIT_MS = 5_000;

/** Parses host.json `functionTimeout` ("hh:mm:ss") for the activity lease; default 10 minutes. */
function leaseMs(functionTimeout: string | undefined): number {
  const match = /^(\d+):(\d{2}):(\d{2})$/.exec(functionTimeout ?? '');
  if (!match) return 10 * 60_000;
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000;
}

/** Creates the durable extension; nothing runs until `start()`. */
export const createDurableExtension: CreateDurableExtension = (options: DurableExtensionOptions) => {
  const durableTask = options.hostJson.extensions?.durableTask ?? {};
  const taskHubName = durableTask.hubName ?? 'TestHubName';
  const defaultLimit = 10 * availableParallelism();
  const logger = options.logger;
  const leaseOwner = `${process.pid}-${randomUUID()}`;

  // WAL with synchronous FULL: a committed episode survives a killed process and power loss. Commits
  // are batched (episodes, activity results), so the fsync per commit costs little; NORMAL still
  // survives a killed process and can be chosen with DEVHOST_DURABLE_SYNCHRONOUS=NORMAL.
  const synchronous = process.env.DEVHOST_DURABLE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL';
  const store = new DurableStore(options.dataDir, { synchronous });
  const notify = (ids: readonly string[]): void => dispatcher.notify(ids);
  const activities = new ActivityRunner({
    store,
    invoker: options.invoker,
    limit: durableTask.maxConcurrentActivityFunctions ?? defaultLimit,
    logger,
    onMessages: (ids) => dispatcher.notifyCompletions(ids),
  });
  const timers = new TimerScheduler(store, notify);
  const dispatcher: Dispatcher = new Dispatcher({
    store,
    invoker: options.invoker,
    limit: durableTask.maxConcurrentOrchestratorFunctions ?? defaultLimit,
    leaseOwner,
    leaseMs: leaseMs(options.hostJson.functionTimeout),
    logger,
    activities,
    timers,
  });
  const ops = new ClientOps(store, options.invoker, dispatcher);
  dispatcher.onEnded = (id) => ops.ended(id);
  const urls: UrlOptions = {
    publicOrigin: options.publicOrigin,
    rpcOrigin: options.rpcOrigin,
    taskHubName,
    systemKey: options.systemKey,
  };
  const handleHttp = createHttpApi({ ops, store, urls, logger });
  const running = dispatcher;

  let stopped = false;
  const extension: DurableExtension = {
    taskHubName,
    clientBindingData: () => clientBindingData(urls),
    handleHttp,
    start: () => {
      // Work leased by an earlier process (or expired) runs again: activities are at least once.
      const now = Date.now();
      const recovered = store.transaction(() => {
        const items = store.claimableWorkItems(leaseOwner, now);
        store.leaseWorkItems(
          items.map((item) => item.id),
          leaseOwner,
          now + leaseMs(options.hostJson.functionTimeout),
        );
        return items;
      });
      const pending = store.instancesWithMessages();
      logger.info('durable.recovered', {
        store: store.path,
        workItems: recovered.length,
        instances: pending.length,
      });
      activities.enqueue(recovered);
      running.notify(pending);
      timers.arm();
      return Promise.resolve();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      timers.stop();
      await Promise.all([running.stop(STOP_WAIT_MS), activities.stop(STOP_WAIT_MS)]);
      store.close();
      logger.info('durable.stopped', { episodes: running.stats.episodes });
    },
  };
  return Promise.resolve(extension);
};

export { DurableStore } from './store.js';
