// Reads what the worker stored in Azurite: statements per account and period, and the idempotency
// ledger that tells one effect from a repeated one.
import { TableClient } from '@azure/data-tables';

export interface StoredStatement {
  accountId: string;
  runId: string;
  processedAt: string;
  idempotencyKeyHash: string;
  openingBalance: number;
  debits: number;
  credits: number;
  closingBalance: number;
}

export interface LedgerRecord {
  state: string;
  /** The stored answer (JSON) of a done record. */
  response: string | undefined;
}

function table(connectionString: string, name: string): TableClient {
  return TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
}

/** Every statement of `period`, one entity per account (partition key = account id). */
export async function readStatements(connectionString: string, period: string): Promise<StoredStatement[]> {
  const found: StoredStatement[] = [];
  const entities = table(connectionString, 'WorkerStatements').listEntities<
    Omit<StoredStatement, 'accountId'>
  >({
    queryOptions: { filter: `RowKey eq '${period}'` },
  });
  for await (const entity of entities) found.push({ ...entity, accountId: entity.partitionKey ?? '' });
  return found;
}

/** The idempotency ledger by key hash (its row key). */
export async function readLedger(connectionString: string): Promise<Map<string, LedgerRecord>> {
  const found = new Map<string, LedgerRecord>();
  try {
    for await (const entity of table(connectionString, 'WorkerIdempotency').listEntities<LedgerRecord>()) {
      found.set(entity.rowKey ?? '', { state: entity.state, response: entity.response });
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return found;
    throw error;
  }
  return found;
}

/** Number of entities in a worker table (0 when it does not exist yet). */
export async function countRows(connectionString: string, name: string): Promise<number> {
  let count = 0;
  try {
    for await (const _ of table(connectionString, name).listEntities({
      queryOptions: { select: ['RowKey'] },
    }))
      count += 1;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return 0;
    throw error;
  }
  return count;
}
