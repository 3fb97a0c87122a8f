import { LoadShedder } from './http/load-shedder.js';
import { BenchJob } from './jobs/bench/bench-job.js';
import type { Job } from './jobs/job.js';
import { StatementsJob } from './jobs/statements/statements-job.js';
import { type WorkerSettings, SettingsError, readSettings } from './settings.js';
import { createTables } from './store/tables.js';

/** Everything a request needs, built once from the settings. */
export interface WorkerRuntime {
  settings: WorkerSettings;
  shedder: LoadShedder;
  /** The job by name, or undefined when unknown or disabled. */
  job(name: string): Job | undefined;
}

let current: WorkerRuntime | undefined;

function build(env: Readonly<Record<string, string | undefined>>): WorkerRuntime {
  const settings = readSettings(env);
  const bench = settings.bench.enabled
    ? new BenchJob(settings.bench.items, settings.bench.latencyMs)
    : undefined;
  let statements: StatementsJob | undefined;

  return {
    settings,
    shedder: new LoadShedder(settings.maxConcurrent),
    job(name) {
      if (name === 'bench') return bench;
      if (name !== 'statements') return undefined;
      if (!settings.storage) {
        throw new SettingsError(
          'WORKER_STORAGE',
          'the statements job needs WORKER_STORAGE (local) or WORKER_STORAGE__tableServiceUri (Azure).',
        );
      }
      statements ??= new StatementsJob(createTables(settings.storage), settings.demoAccounts);
      return statements;
    },
  };
}

/**
 * The worker's runtime, read from `process.env` on first use rather than at import, so a host may
 * set the environment after loading the app. Throws {@link SettingsError} naming a bad setting.
 */
export function getRuntime(): WorkerRuntime {
  current ??= build(process.env);
  return current;
}

/** Forgets the runtime so the next request reads the environment again (tests, hosts that reconfigure). */
export function resetRuntime(): void {
  current = undefined;
}
