import { setTimeout as delay } from 'node:timers/promises';

import { HttpProblem } from '../../http/problem.js';
import type { ItemPage, Job, ProcessRequest, ProcessResponse } from '../job.js';

const BENCH_ID = /^b-(\d{6})$/;

/** `b-000042` for 42. */
export function benchItemId(index: number): string {
  return `b-${String(index).padStart(6, '0')}`;
}

/**
 * A job for benchmarks: no storage, `items` synthetic ids, and a process call that answers after
 * `latencyMs` with a small result. It keeps the worker's checks (principal, Idempotency-Key format,
 * load shedding) but stores no idempotency records.
 */
export class BenchJob implements Job {
  readonly name = 'bench';
  readonly #items: number;
  readonly #latencyMs: number;

  constructor(items: number, latencyMs: number) {
    this.#items = items;
    this.#latencyMs = latencyMs;
  }

  isItemId(id: string): boolean {
    return BENCH_ID.test(id);
  }

  listItems(after: string | undefined, limit: number): Promise<ItemPage> {
    const start = after ? this.#index(after) + 1 : 1;
    const end = Math.min(start + limit - 1, this.#items);
    const ids: string[] = [];
    for (let i = start; i <= end; i += 1) ids.push(benchItemId(i));
    return Promise.resolve({ ids, more: end < this.#items });
  }

  async process(request: ProcessRequest): Promise<ProcessResponse> {
    const index = this.#index(request.itemId);
    if (index < 1 || index > this.#items) {
      throw new HttpProblem({
        status: 404,
        slug: 'unknown-item',
        title: 'Unknown item',
        detail: `The bench job has no item ${JSON.stringify(request.itemId)}.`,
        extensions: { itemId: request.itemId },
      });
    }
    if (this.#latencyMs > 0) await delay(this.#latencyMs);

    return {
      job: this.name,
      itemId: request.itemId,
      period: request.period,
      runId: request.runId,
      replayed: false,
      processedAt: new Date().toISOString(),
      result: { echo: request.itemId, latencyMs: this.#latencyMs },
    };
  }

  #index(id: string): number {
    const match = BENCH_ID.exec(id);
    return match?.[1] ? Number(match[1]) : 0;
  }
}
