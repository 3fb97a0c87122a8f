/**
 * Counts work in flight and refuses more than `limit` at once, so an instance answers 429 quickly
 * instead of queueing until callers time out.
 */
export class LoadShedder {
  readonly limit: number;
  #inFlight = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Runs `work` if a slot is free; resolves `{ shed: true }` without running it otherwise. */
  async run<T>(work: () => Promise<T>): Promise<{ shed: false; value: T } | { shed: true }> {
    if (this.#inFlight >= this.limit) return { shed: true };
    this.#inFlight += 1;
    try {
      return { shed: false, value: await work() };
    } finally {
      this.#inFlight -= 1;
    }
  }
}
