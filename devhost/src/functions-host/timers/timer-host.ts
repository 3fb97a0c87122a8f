// Runs an app's timer triggers: one invocation per schedule slot, status kept in the data folder.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FunctionInvoker, RegisteredFunction } from '../../contracts.js';
import type { Logger } from '../../log.js';
import { systemClock, type Clock } from './clock.js';
import { parseSchedule, resolveBindingExpression, type TimerSchedule } from './schedule.js';

/** What the host remembers of a timer between runs (the TimerInfo `ScheduleStatus`). */
export interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

export interface TimerFired {
  name: string;
  /** The slot this invocation is for (the current time for past-due and startup runs). */
  scheduled: Date;
  isPastDue: boolean;
  error?: unknown;
}

export interface TimerHostOptions {
  invoker: FunctionInvoker;
  /** Schedule status goes to `<dataDir>/timers/<function>.json`. */
  dataDir: string;
  logger: Logger;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** Called after every invocation, whether it succeeded or not. */
  onFired?: (fired: TimerFired) => void;
}

export interface TimerHost {
  readonly timers: readonly { name: string; schedule: string }[];
  /** Stops scheduling and waits for invocations in flight. */
  stop(): Promise<void>;
}

const NEVER = new Date(0).toISOString();

function readStatus(path: string): ScheduleStatus | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<ScheduleStatus>;
    if (
      typeof value.Last === 'string' &&
      typeof value.Next === 'string' &&
      typeof value.LastUpdated === 'string'
    ) {
      return { Last: value.Last, Next: value.Next, LastUpdated: value.LastUpdated };
    }
  } catch {
    // A missing or unreadable status means the timer has never run here.
  }
  return undefined;
}

function writeStatus(path: string, status: ScheduleStatus): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, `${JSON.stringify(status)}\n`);
  renameSync(temp, path);
}

/**
 * The next occurrence the stored status implies, as the host recomputes it at start so a changed
 * schedule takes effect; a slot before `now` means the timer is past due.
 */
function expectedNext(status: ScheduleStatus, schedule: TimerSchedule): Date {
  const from = status.Last !== NEVER ? status.Last : status.LastUpdated;
  return schedule.next(new Date(from));
}

class TimerLoop {
  readonly #statusPath: string;
  #status: ScheduleStatus | undefined;

  constructor(
    readonly fn: RegisteredFunction,
    readonly schedule: TimerSchedule,
    readonly options: TimerHostOptions & { clock: Clock },
  ) {
    const dir = join(options.dataDir, 'timers');
    mkdirSync(dir, { recursive: true });
    this.#statusPath = join(dir, `${fn.name}.json`);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    const now = clock.now();
    // useMonitor: false turns schedule monitoring off: no stored status, never past due.
    const monitored = this.fn.trigger.useMonitor !== false;
    const stored = monitored ? readStatus(this.#statusPath) : undefined;
    if (!stored) {
      this.#save({
        Last: NEVER,
        Next: this.schedule.next(now).toISOString(),
        LastUpdated: now.toISOString(),
      });
    } else {
      const next = expectedNext(stored, this.schedule);
      this.#status = stored;
      if (next.toISOString() !== stored.Next)
        this.#save({ ...stored, Next: next.toISOString(), LastUpdated: now.toISOString() });
    }

    const next = new Date(this.#status?.Next ?? now);
    if (stored && now.getTime() > next.getTime()) {
      this.options.logger.warn('timer.past_due', { function: this.fn.name, missedSlot: next.toISOString() });
      await this.#fire(now, true);
    } else if (this.fn.trigger.runOnStartup === true) {
      await this.#fire(now, false);
    }

    while (!signal.aborted) {
      const slot = new Date(this.#status?.Next ?? clock.now());
      await clock.wait(slot, signal);
      if (signal.aborted) break;
      await this.#fire(slot, false);
    }
  }

  #save(status: ScheduleStatus): void {
    this.#status = status;
    if (this.fn.trigger.useMonitor !== false) writeStatus(this.#statusPath, status);
  }

  async #fire(slot: Date, isPastDue: boolean): Promise<void> {
    const { invoker, logger, clock, onFired } = this.options;
    const input = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: this.#status ?? null,
      IsPastDue: isPastDue,
    };
    logger.info('timer.fired', { function: this.fn.name, slot: slot.toISOString(), isPastDue });
    let error: unknown;
    try {
      await invoker.invoke(
        this.fn.name,
        [{ name: this.fn.triggerName, data: { json: JSON.stringify(input) } }],
        {
          logProps: { timerSlot: slot.toISOString() },
        },
      );
    } catch (err) {
      error = err;
      logger.error('timer.failed', { function: this.fn.name, slot: slot.toISOString(), error: err });
    }

    const now = clock.now();
    const after = now.getTime() > slot.getTime() ? now : slot;
    this.#save({
      Last: slot.toISOString(),
      Next: this.schedule.next(after).toISOString(),
      LastUpdated: now.toISOString(),
    });
    onFired?.({ name: this.fn.name, scheduled: slot, isPastDue, ...(error === undefined ? {} : { error }) });
  }
}

/** Starts every `timerTrigger` of the app; a timer whose schedule is invalid is logged and skipped. */
export function startTimers(options: TimerHostOptions): TimerHost {
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  const controller = new AbortController();
  const timers: { name: string; schedule: string }[] = [];
  const running: Promise<void>[] = [];

  for (const fn of options.invoker.list()) {
    if (fn.trigger.type !== 'timerTrigger') continue;
    let schedule: TimerSchedule;
    try {
      schedule = parseSchedule(
        resolveBindingExpression(typeof fn.trigger.schedule === 'string' ? fn.trigger.schedule : '', env),
      );
    } catch (err) {
      options.logger.error('timer.invalid', { function: fn.name, schedule: fn.trigger.schedule, error: err });
      continue;
    }
    timers.push({ name: fn.name, schedule: schedule.expression });
    options.logger.info('timer.scheduled', { function: fn.name, schedule: schedule.expression });
    const loop = new TimerLoop(fn, schedule, { ...options, clock });
    running.push(
      loop.run(controller.signal).catch((err: unknown) => {
        options.logger.error('timer.stopped', { function: fn.name, error: err });
      }),
    );
  }

  return {
    timers,
    async stop() {
      controller.abort();
      await Promise.all(running);
    },
  };
}
