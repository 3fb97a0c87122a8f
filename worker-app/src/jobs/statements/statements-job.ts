import { odata } from '@azure/data-tables';
import type { InvocationContext } from '@azure/functions';

import { HttpProblem } from '../../http/problem.js';
import { IdempotencyLedger, sha256 } from '../../store/idempotency-ledger.js';
import { storeCall, storeStatus } from '../../store/store-errors.js';
import type { Tables } from '../../store/tables.js';
import type { ItemPage, Job, ProcessRequest, ProcessResponse } from '../job.js';
import { runOnce } from '../run-once.js';
import { accountId, accountIndex, type LedgerEntry } from './demo-data.js';
import { ACCOUNTS_PARTITION, DemoSeeder } from './demo-seeder.js';
import { computeStatement, nextPeriodStart } from './statement.js';

interface AccountEntity {
  name: string;
  currency: string;
  initialBalance: number;
}

/**
 * The example job: items are the demo accounts; processing one computes its statement for the
 * period from its ledger and stores it (one row per account and period), exactly once per key.
 */
export class StatementsJob implements Job {
  readonly name = 'statements';
  readonly #tables: Tables;
  readonly #count: number;
  readonly #seeder: DemoSeeder;
  readonly #ledger: IdempotencyLedger;

  constructor(tables: Tables, demoAccounts: number) {
    this.#tables = tables;
    this.#count = demoAccounts;
    this.#seeder = new DemoSeeder(tables, demoAccounts);
    this.#ledger = new IdempotencyLedger(tables.idempotency);
  }

  isItemId(id: string): boolean {
    return accountIndex(id) !== undefined;
  }

  async listItems(after: string | undefined, limit: number, context: InvocationContext): Promise<ItemPage> {
    await this.#seeder.ensure(context);

    const last = accountId(this.#count);
    const filter = after
      ? odata`PartitionKey eq ${ACCOUNTS_PARTITION} and RowKey gt ${after} and RowKey le ${last}`
      : odata`PartitionKey eq ${ACCOUNTS_PARTITION} and RowKey le ${last}`;
    const ids = await storeCall('list accounts', async (abortSignal) => {
      const found: string[] = [];
      const entities = this.#tables.accounts.listEntities({
        queryOptions: { filter, select: ['RowKey'] },
        abortSignal,
      });
      // Ask for one more than a page to learn whether another page exists.
      for await (const page of entities.byPage({ maxPageSize: Math.min(limit + 1, 1000) })) {
        for (const entity of page) if (entity.rowKey) found.push(entity.rowKey);
        if (found.length > limit) break;
      }
      return found;
    });
    return { ids: ids.slice(0, limit), more: ids.length > limit };
  }

  async process(request: ProcessRequest, context: InvocationContext): Promise<ProcessResponse> {
    await this.#seeder.ensure(context);

    let account: (AccountEntity & { id: string }) | undefined;
    return await runOnce(
      this.#ledger,
      request,
      {
        precheck: async () => {
          account = await this.#readAccount(request.itemId);
        },
        effect: async () => {
          account ??= await this.#readAccount(request.itemId);
          return await this.#writeStatement(account, request);
        },
      },
      context,
    );
  }

  async #readAccount(id: string): Promise<AccountEntity & { id: string }> {
    const index = accountIndex(id);
    const unknown = new HttpProblem({
      status: 404,
      slug: 'unknown-item',
      title: 'Unknown item',
      detail: `The statements job has no account ${JSON.stringify(id)}.`,
      extensions: { itemId: id },
    });
    if (index === undefined || index < 1 || index > this.#count) throw unknown;

    return await storeCall('read account', async (abortSignal) => {
      try {
        const entity = await this.#tables.accounts.getEntity<AccountEntity>(ACCOUNTS_PARTITION, id, {
          abortSignal,
        });
        return { id, name: entity.name, currency: entity.currency, initialBalance: entity.initialBalance };
      } catch (error) {
        if (storeStatus(error) === 404) throw unknown;
        throw error;
      }
    });
  }

  async #writeStatement(
    account: AccountEntity & { id: string },
    request: ProcessRequest,
  ): Promise<ProcessResponse> {
    const end = nextPeriodStart(request.period);
    const movements = await storeCall('read ledger', async (abortSignal) => {
      const found: Pick<LedgerEntry, 'date' | 'side' | 'amount'>[] = [];
      const filter = odata`PartitionKey eq ${account.id} and RowKey lt ${end}`;
      const entities = this.#tables.ledger.listEntities<LedgerEntry>({
        queryOptions: { filter },
        abortSignal,
      });
      for await (const entity of entities)
        found.push({ date: entity.date, side: entity.side, amount: entity.amount });
      return found;
    });
    const statement = computeStatement(account, request.period, movements);
    const processedAt = new Date().toISOString();

    await storeCall('store statement', (abortSignal) =>
      this.#tables.statements.upsertEntity(
        {
          partitionKey: account.id,
          rowKey: request.period,
          ...statement,
          runId: request.runId,
          processedAt,
          idempotencyKeyHash: sha256(request.idempotencyKey),
        },
        'Replace',
        { abortSignal },
      ),
    );

    return {
      job: this.name,
      itemId: request.itemId,
      period: request.period,
      runId: request.runId,
      replayed: false,
      processedAt,
      result: { ...statement },
    };
  }
}
