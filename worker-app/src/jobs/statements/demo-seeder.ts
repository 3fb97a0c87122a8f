import type { TransactionAction } from '@azure/data-tables';
import type { InvocationContext } from '@azure/functions';

import { logEvent } from '../../log-events.js';
import { storeCall, storeStatus } from '../../store/store-errors.js';
import { ensureTables, type Tables } from '../../store/tables.js';
import { DEMO_DATA_VERSION, generateAccount } from './demo-data.js';

/** Accounts are written in groups this large; progress is saved after each group. */
const GROUP_SIZE = 50;
/** Ledger partitions written at once. */
const PARALLEL_WRITES = 8;
export const ACCOUNTS_PARTITION = 'account';
const META_KEY = { partitionKey: 'demo', rowKey: 'seed' } as const;

interface SeedMeta {
  version: number;
  seededThrough: number;
}

/**
 * Generates the demo data set once. In a process, concurrent callers share one run; across
 * instances the writes are upserts of identical deterministic rows, so two instances seeding at once
 * write the same data. Progress is saved per group of accounts, so an interrupted run resumes
 * where it stopped; a failed run is retried by the next caller.
 */
export class DemoSeeder {
  readonly #tables: Tables;
  readonly #count: number;
  #running: Promise<void> | undefined;
  #done = false;

  constructor(tables: Tables, count: number) {
    this.#tables = tables;
    this.#count = count;
  }

  /** Resolves once accounts 1..count and their ledgers are stored. */
  async ensure(context: InvocationContext): Promise<void> {
    if (this.#done) return;
    this.#running ??= this.#seed(context).then(
      () => {
        this.#done = true;
      },
      (error: unknown) => {
        this.#running = undefined;
        throw error;
      },
    );
    await this.#running;
  }

  async #seed(context: InvocationContext): Promise<void> {
    await ensureTables(this.#tables);
    const meta = await this.#readMeta();
    const start = meta?.version === DEMO_DATA_VERSION ? meta.seededThrough : 0;
    if (start >= this.#count) return;

    logEvent(context, 'info', 'demo.seeding', { from: start + 1, to: this.#count });
    for (let first = start + 1; first <= this.#count; first += GROUP_SIZE) {
      const last = Math.min(first + GROUP_SIZE - 1, this.#count);
      await this.#writeGroup(first, last);
      await this.#saveProgress(last);
    }
    logEvent(context, 'info', 'demo.seeded', { accounts: this.#count, version: DEMO_DATA_VERSION });
  }

  async #writeGroup(first: number, last: number): Promise<void> {
    const generated = Array.from({ length: last - first + 1 }, (_, i) => generateAccount(first + i));

    // Ledgers first: an account row is visible only once its ledger is complete.
    for (let i = 0; i < generated.length; i += PARALLEL_WRITES) {
      await Promise.all(
        generated.slice(i, i + PARALLEL_WRITES).map(async ({ account, entries }) => {
          if (entries.length === 0) return;
          const actions: TransactionAction[] = entries.map((entry) => [
            'upsert',
            { partitionKey: account.id, ...entry },
            'Replace',
          ]);
          await storeCall('write demo ledger', (abortSignal) =>
            this.#tables.ledger.submitTransaction(actions, { abortSignal }),
          );
        }),
      );
    }

    const accounts: TransactionAction[] = generated.map(({ account }) => [
      'upsert',
      {
        partitionKey: ACCOUNTS_PARTITION,
        rowKey: account.id,
        name: account.name,
        currency: account.currency,
        initialBalance: account.initialBalance,
      },
      'Replace',
    ]);
    await storeCall('write demo accounts', (abortSignal) =>
      this.#tables.accounts.submitTransaction(accounts, { abortSignal }),
    );
  }

  async #readMeta(): Promise<(SeedMeta & { etag: string }) | undefined> {
    return await storeCall('read demo progress', async (abortSignal) => {
      try {
        const entity = await this.#tables.meta.getEntity<SeedMeta>(META_KEY.partitionKey, META_KEY.rowKey, {
          abortSignal,
        });
        return { version: entity.version, seededThrough: entity.seededThrough, etag: entity.etag };
      } catch (error) {
        if (storeStatus(error) === 404) return undefined;
        throw error;
      }
    });
  }

  /** Records progress, never moving it backwards when another instance got further. */
  async #saveProgress(seededThrough: number): Promise<void> {
    const meta: SeedMeta = { version: DEMO_DATA_VERSION, seededThrough };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.#readMeta();
      if (current?.version === DEMO_DATA_VERSION && current.seededThrough >= seededThrough) return;
      const saved = await storeCall('save demo progress', async (abortSignal) => {
        try {
          if (current) {
            await this.#tables.meta.updateEntity({ ...META_KEY, ...meta }, 'Replace', {
              etag: current.etag,
              abortSignal,
            });
          } else await this.#tables.meta.createEntity({ ...META_KEY, ...meta }, { abortSignal });
          return true;
        } catch (error) {
          const status = storeStatus(error);
          if (status === 409 || status === 412) return false;
          throw error;
        }
      });
      if (saved) return;
    }
  }
}
