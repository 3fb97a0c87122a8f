// How the dispatcher and the activity runner stop: wait for their last running task, but not forever.

/** Waiters for the moment nothing runs any more, each with its own time limit. */
export class IdleSignal {
  private readonly waiters = new Set<() => void>();

  /** Resolves at the next `notify()` or after `timeoutMs`, whichever comes first. */
  wait(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.add(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Nothing runs any more: releases every waiter. */
  notify(): void {
    for (const release of this.waiters) release();
  }
}
