import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { ManagedIdentityCredential } from '@azure/identity';

import type { StorageSettings } from '../settings.js';
import { storeCall, storeStatus } from './store-errors.js';

/** The tables the `statements` job keeps its state in. */
export const TABLE_NAMES = {
  accounts: 'WorkerAccounts',
  ledger: 'WorkerLedger',
  statements: 'WorkerStatements',
  idempotency: 'WorkerIdempotency',
  meta: 'WorkerMeta',
} as const;

export type TableName = keyof typeof TABLE_NAMES;

/** One client per table, created lazily from the storage settings. */
export type Tables = Readonly<Record<TableName, TableClient>>;

/** Few, short SDK retries: the caller (the orchestrator) retries 503s with back-off itself. */
const CLIENT_OPTIONS: TableServiceClientOptions = {
  retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1000 },
};

function connectionStringEndpointIsHttp(connectionString: string): boolean {
  return /(^|;)\s*(TableEndpoint=http:|DefaultEndpointsProtocol=http;)/i.test(connectionString);
}

/**
 * Creates the table clients: an Azurite-style connection string locally (plain http allowed only
 * when the string says http), or the table endpoint with `ManagedIdentityCredential` in Azure.
 */
export function createTables(settings: StorageSettings): Tables {
  let make: (table: string) => TableClient;
  if (settings.kind === 'connectionString') {
    const allowInsecureConnection = connectionStringEndpointIsHttp(settings.connectionString);
    make = (table) =>
      TableClient.fromConnectionString(settings.connectionString, table, {
        ...CLIENT_OPTIONS,
        allowInsecureConnection,
      });
  } else {
    const credential = settings.clientId
      ? new ManagedIdentityCredential({ clientId: settings.clientId })
      : new ManagedIdentityCredential();
    make = (table) => new TableClient(settings.tableServiceUri, table, credential, CLIENT_OPTIONS);
  }

  return {
    accounts: make(TABLE_NAMES.accounts),
    ledger: make(TABLE_NAMES.ledger),
    statements: make(TABLE_NAMES.statements),
    idempotency: make(TABLE_NAMES.idempotency),
    meta: make(TABLE_NAMES.meta),
  };
}

/** Creates every table that does not exist yet (a 409 from a concurrent creator is fine). */
export async function ensureTables(tables: Tables): Promise<void> {
  for (const [name, client] of Object.entries(tables)) {
    await storeCall(`create table ${name}`, async (abortSignal) => {
      try {
        await client.createTable({ abortSignal });
      } catch (error) {
        if (storeStatus(error) !== 409) throw error;
      }
    });
  }
}
