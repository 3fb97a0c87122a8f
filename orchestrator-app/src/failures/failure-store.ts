import { ManagedIdentityCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import { FailureStoreError } from '../errors.js';
import type { FailedItem } from '../orchestrations/run-model.js';
import type { FailureStorageSettings } from '../settings.js';

/** The complete failure list of runs, one blob per chunk under `{runId}/`. */
export interface FailureStore {
  /** Writes one chunk's failures; overwriting makes a retried activity harmless. Returns `container/runId/`. */
  write(runId: string, chunk: number, failures: readonly FailedItem[]): Promise<string>;
  /** Reads every failure recorded for a run, in chunk order; empty when none were recorded. */
  read(runId: string): Promise<FailedItem[]>;
}

function blobName(runId: string, chunk: number): string {
  return `${runId}/chunk-${String(chunk).padStart(6, '0')}.json`;
}

function isFailedItem(value: unknown): value is FailedItem {
  const item = value as Partial<FailedItem> | null;
  return typeof item?.itemId === 'string' && (item.outcome === 'failed' || item.outcome === 'skipped');
}

/** Creates a failure store on the configured account: a connection string locally, managed identity in Azure. */
export function createFailureStore(settings: FailureStorageSettings): FailureStore {
  const service =
    settings.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(settings.connectionString)
      : new BlobServiceClient(
          settings.blobServiceUri.href,
          settings.clientId
            ? new ManagedIdentityCredential({ clientId: settings.clientId })
            : new ManagedIdentityCredential(),
        );
  const container = service.getContainerClient(settings.container);
  let ready: Promise<ContainerClient> | undefined;

  const ensureContainer = (): Promise<ContainerClient> => {
    ready ??= container.createIfNotExists().then(
      () => container,
      (error: unknown) => {
        ready = undefined;
        throw new FailureStoreError(`Could not create container ${settings.container}.`, { cause: error });
      },
    );
    return ready;
  };

  return {
    async write(runId, chunk, failures) {
      const client = await ensureContainer();
      const body = JSON.stringify(failures);
      try {
        await client.getBlockBlobClient(blobName(runId, chunk)).upload(body, Buffer.byteLength(body), {
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
      } catch (error) {
        throw new FailureStoreError(`Could not write failures of run ${runId}, chunk ${chunk}.`, {
          cause: error,
        });
      }
      return `${settings.container}/${runId}/`;
    },

    async read(runId) {
      const client = await ensureContainer();
      const items: FailedItem[] = [];
      try {
        for await (const blob of client.listBlobsFlat({ prefix: `${runId}/` })) {
          const buffer = await client.getBlockBlobClient(blob.name).downloadToBuffer();
          const parsed = JSON.parse(buffer.toString('utf8')) as unknown;
          if (!Array.isArray(parsed)) throw new TypeError(`${blob.name} does not hold a list`);
          items.push(...parsed.filter(isFailedItem));
        }
      } catch (error) {
        throw new FailureStoreError(`Could not read failures of run ${runId}.`, { cause: error });
      }
      return items;
    },
  };
}
