import { createHash } from 'node:crypto';

import type { TableClient } from '@azure/data-tables';

import { storeCall, storeStatus } from './store-errors.js';

/** A claimed or completed key as stored; the key itself is stored only as its SHA-256. */
export interface IdempotencyRecord {
  /** SHA-256 of the request the key was first used with. */
  fingerprint: string;
  state: 'pending' | 'done';
  /** Until then a pending claim is its owner's; afterwards another call may take it over. */
  leaseUntil: string;
  /** The stored answer (JSON) once done. */
  response: string | undefined;
  etag: string;
}

interface RecordEntity {
  fingerprint: string;
  state: 'pending' | 'done';
  leaseUntil: string;
  response?: string;
}

/** A hex SHA-256 of the given text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function keysOf(idempotencyKey: string): { partitionKey: string; rowKey: string } {
  const hash = sha256(idempotencyKey);
  return { partitionKey: hash.slice(0, 2), rowKey: hash };
}

/**
 * The idempotency ledger in Table Storage. A key is claimed by inserting its row (an insert that
 * conflicts, so exactly one caller wins), then completed with the answer under the claim's ETag.
 */
export class IdempotencyLedger {
  readonly #table: TableClient;

  constructor(table: TableClient) {
    this.#table = table;
  }

  async get(idempotencyKey: string): Promise<IdempotencyRecord | undefined> {
    const { partitionKey, rowKey } = keysOf(idempotencyKey);
    return await storeCall('read idempotency record', async (abortSignal) => {
      try {
        const entity = await this.#table.getEntity<RecordEntity>(partitionKey, rowKey, { abortSignal });
        return {
          fingerprint: entity.fingerprint,
          state: entity.state,
          leaseUntil: entity.leaseUntil,
          response: entity.response,
          etag: entity.etag,
        };
      } catch (error) {
        if (storeStatus(error) === 404) return undefined;
        throw error;
      }
    });
  }

  /** Inserts a pending claim; resolves its ETag, or undefined when another caller holds the key. */
  async claim(idempotencyKey: string, fingerprint: string, leaseUntil: Date): Promise<string | undefined> {
    const entity = {
      ...keysOf(idempotencyKey),
      fingerprint,
      state: 'pending',
      leaseUntil: leaseUntil.toISOString(),
    };
    return await storeCall('claim idempotency key', async (abortSignal) => {
      try {
        const created = await this.#table.createEntity(entity, { abortSignal });
        return created.etag;
      } catch (error) {
        if (storeStatus(error) === 409) return undefined;
        throw error;
      }
    });
  }

  /** Takes over an expired pending claim; resolves the new ETag, or undefined if someone was faster. */
  async takeOver(
    idempotencyKey: string,
    record: IdempotencyRecord,
    leaseUntil: Date,
  ): Promise<string | undefined> {
    const entity = {
      ...keysOf(idempotencyKey),
      fingerprint: record.fingerprint,
      state: 'pending',
      leaseUntil: leaseUntil.toISOString(),
    };
    return await this.#replace('take over idempotency key', entity, record.etag);
  }

  /** Stores the answer; resolves false if the claim was taken over meanwhile. */
  async complete(
    idempotencyKey: string,
    fingerprint: string,
    etag: string,
    response: string,
  ): Promise<boolean> {
    const entity = { ...keysOf(idempotencyKey), fingerprint, state: 'done', leaseUntil: '', response };
    return (await this.#replace('complete idempotency record', entity, etag)) !== undefined;
  }

  /** Drops this caller's pending claim after its effect failed. */
  async release(idempotencyKey: string, etag: string): Promise<void> {
    await releaseClaim(this.#table, idempotencyKey, etag);
  }

  async #replace(
    operation: string,
    entity: Record<string, string>,
    etag: string,
  ): Promise<string | undefined> {
    return await storeCall(operation, async (abortSignal) => {
      try {
        const updated = await this.#table.updateEntity(
          { partitionKey: entity.partitionKey ?? '', rowKey: entity.rowKey ?? '', ...entity },
          'Replace',
          { etag, abortSignal },
        );
        return updated.etag;
      } catch (error) {
        if (storeStatus(error) === 412 || storeStatus(error) === 404) return undefined;
        throw error;
      }
    });
  }
}

/** Drops a pending claim whose effect failed, so a retry need not wait for the lease to end. */
export async function releaseClaim(table: TableClient, idempotencyKey: string, etag: string): Promise<void> {
  const { partitionKey, rowKey } = keysOf(idempotencyKey);
  await storeCall('release idempotency key', async (abortSignal) => {
    try {
      await table.deleteEntity(partitionKey, rowKey, { etag, abortSignal });
    } catch (error) {
      if (storeStatus(error) !== 404 && storeStatus(error) !== 412) throw error;
    }
  });
}
