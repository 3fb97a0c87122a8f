// One wake-up at the next due timer: due timers become timerFired messages in one transaction.
import { iso } from './history.js';
import type { DurableStore } from './store.js';

// setTimeout cannot wait longer than 2^31-1 ms; re-arm after that.
const MAX_WAIT = 2_147_483_647;

export class TimerScheduler {
  private handle: NodeJS.Timeout | undefined;
  private armedFor: number | undefined;
  private stopped = false;

  constructor(
    private readonly store: DurableStore,
    private readonly onFired: (instanceIds: readonly string[]) => void,
  ) {}

  /** Re-arms for the earliest timer in the store (call after adding timers). */
  arm(): void {
    if (this.stopped) return;
    const due = this.store.nextTimerDue();
    if (due === undefined) {
      this.clear();
      return;
    }
    if (this.armedFor !== undefined && this.armedFor <= due) return;
    this.clear();
    this.armedFor = due;
    this.handle = setTimeout(() => this.fire(), Math.min(Math.max(0, due - Date.now()), MAX_WAIT));
  }

  /** A timer was added at `fireAt`: wake earlier if needed. */
  added(fireAt: number): void {
    if (this.armedFor === undefined || fireAt < this.armedFor) {
      this.clear();
      this.arm();
    }
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    this.armedFor = undefined;
  }

  private fire(): void {
    this.handle = undefined;
    this.armedFor = undefined;
    if (this.stopped) return;
    const now = Date.now();
    const fired = this.store.transaction(() => {
      const due = this.store.dueTimers(now);
      for (const timer of due) {
        this.store.addMessage(
          timer.instance_id,
          timer.execution_id,
          {
            kind: 'timerFired',
            timerId: timer.timer_id,
            fireAt: iso(timer.fire_at),
            ...(timer.retry ? { retry: timer.retry } : {}),
          },
          now,
        );
        this.store.deleteTimer(timer.id);
      }
      return [...new Set(due.map((timer) => timer.instance_id))];
    });
    if (fired.length > 0) this.onFired(fired);
    this.arm();
  }
}
