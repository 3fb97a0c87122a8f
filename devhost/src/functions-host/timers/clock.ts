// Time as the timer triggers see it: the system clock, or a manual one that tests move forward.

export interface Clock {
  now(): Date;
  /** Resolves once the clock reaches `until`, or as soon as `signal` aborts. */
  wait(until: Date, signal: AbortSignal): Promise<void>;
}

// setTimeout takes at most a signed 32-bit number of milliseconds.
const MAX_TIMEOUT_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => new Date(),
  wait: (until, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const arm = (): void => {
        const remaining = until.getTime() - Date.now();
        if (remaining <= 0) return done();
        timer = setTimeout(arm, Math.min(remaining, MAX_TIMEOUT_MS));
      };
      signal.addEventListener('abort', done, { once: true });
      arm();
    }),
};

interface Waiter {
  until: number;
  resolve: () => void;
}

/** A clock that only moves when told to; waits resolve as the time passes their deadline. */
export class ManualClock implements Clock {
  #now: number;
  #waiters = new Set<Waiter>();

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  wait(until: Date, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal.aborted || until.getTime() <= this.#now) return resolve();
      const waiter: Waiter = {
        until: until.getTime(),
        resolve: () => {
          this.#waiters.delete(waiter);
          signal.removeEventListener('abort', waiter.resolve);
          resolve();
        },
      };
      this.#waiters.add(waiter);
      signal.addEventListener('abort', waiter.resolve, { once: true });
    });
  }

  /** Moves the clock to `time` and releases every wait that is now due. */
  set(time: Date): void {
    this.#now = time.getTime();
    for (const waiter of [...this.#waiters]) if (waiter.until <= this.#now) waiter.resolve();
  }

  advance(ms: number): void {
    this.set(new Date(this.#now + ms));
  }

  /** How many waits are pending (tests use it to know a timer is armed). */
  get pendingWaits(): number {
    return this.#waiters.size;
  }
}
