// Starting the system for a command, showing what is where, and stopping it on Ctrl-C / SIGTERM.
import { createLogger, type Logger } from '../log.js';
import {
  createRecordWriter,
  formatWhereTable,
  startSystem,
  type RunningSystem,
  type WhereRow,
} from '../supervisor/index.js';
import type { SystemFlags } from './system-flags.js';

export function whereRows(system: RunningSystem): WhereRow[] {
  return [
    {
      what: 'orchestrator',
      url: system.urls.orchestrator,
      note: 'run API /api/runs, through Easy Auth',
    },
    {
      what: 'worker',
      url: system.urls.worker,
      note: 'jobs API /api/jobs, through Easy Auth',
    },
    {
      what: 'identity',
      url: system.urls.identity,
      note: 'local Entra issuer and managed identity',
    },
    { what: 'dashboard', url: system.urls.dashboard, note: '' },
    {
      what: 'orchestrator host',
      url: system.urls.orchestratorHost,
      note: 'durable management API at /runtime/webhooks/durabletask',
    },
    { what: 'worker host', url: system.urls.workerHost, note: 'behind its proxy' },
    { what: 'storage (Azurite)', url: system.urls.table, note: `blob ${system.urls.blob}` },
    {
      what: 'data folder',
      url: system.dataDir,
      note: 'host keys, signing keys, durable store, Azurite data',
    },
  ];
}

export interface StartedForCommand {
  system: RunningSystem;
  logger: Logger;
  /** Resolves when a signal asked to stop and everything has stopped. */
  stopped: Promise<void>;
  /** Aborts as soon as a stop was asked for (to end watches early). */
  stopping: AbortSignal;
}

/** Starts the system with the command's flags and arranges a clean stop on SIGINT / SIGTERM. */
export async function startForCommand(flags: SystemFlags, hostLogLevel: string): Promise<StartedForCommand> {
  const logger = createLogger({ json: flags.json, level: flags.logLevel, base: { component: 'devhost' } });
  const system = await startSystem({
    dataDir: flags.dataDir,
    ports: flags.ports,
    logger,
    onHostRecord: createRecordWriter({ json: flags.json }),
    hostLogLevel,
    dashboard: flags.dashboard,
    ...(flags.tokenLifetimeSeconds ? { tokenLifetimeSeconds: flags.tokenLifetimeSeconds } : {}),
  });

  const stopRequested = new AbortController();
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopRequested.signal.aborted) {
        logger.warn('system.killed', { signal });
        process.exit(1);
      }
      stopRequested.abort();
      logger.info('system.stopping', { signal });
      void system.stop().then(() => {
        logger.info('system.stopped', {});
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { system, logger, stopped, stopping: stopRequested.signal };
}

/** Prints the "what is where" table (readable mode) or one `system.urls` record (JSON mode). */
export function printWhere(system: RunningSystem, flags: SystemFlags, logger: Logger): void {
  if (flags.json) {
    logger.info('system.urls', { ...system.urls });
    return;
  }
  const lines = ['', 'devhost is running:', formatWhereTable(whereRows(system))];
  lines.push('', 'Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}
