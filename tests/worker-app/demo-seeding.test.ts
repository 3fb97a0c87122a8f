import assert from 'node:assert/strict';
import { type Server, type Socket, createServer, connect } from 'node:net';
import { after, before, test } from 'node:test';

import { odata } from '@azure/data-tables';

import { type RunningAzurite, startAzurite } from '../../devhost/src/azurite.js';
import { listItems } from '../../worker-app/src/functions/list-items.js';
import { accountId, generateAccount } from '../../worker-app/src/jobs/statements/demo-data.js';
import { createTables } from '../../worker-app/src/store/tables.js';
import { CALLER_APP_ID, bodyOf, headerOf, listRequest, testContext, useSettings } from './helpers.js';

const ACCOUNTS = 110;

/** A loopback TCP relay to Azurite that can be cut: a real network failure in the middle of seeding. */
class Relay {
  readonly server: Server;
  readonly sockets = new Set<Socket>();
  bytes = 0;
  cutAfterBytes = Infinity;

  constructor(targetPort: number) {
    this.server = createServer((client) => {
      if (this.bytes >= this.cutAfterBytes) return void client.destroy();
      const upstream = connect(targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        socket.setNoDelay(true);
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.on('data', (chunk: Buffer) => {
        this.bytes += chunk.length;
        if (this.bytes >= this.cutAfterBytes) this.cut();
      });
      client.pipe(upstream).pipe(client);
    });
  }

  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('relay has no port');
    return address.port;
  }
}

let azurite: RunningAzurite;
let relay: Relay;
let connectionString: string;

before(async () => {
  azurite = await startAzurite();
  relay = new Relay(Number(new URL(azurite.tableEndpoint).port));
  const port = await relay.listen();
  connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${azurite.accountName};AccountKey=${azurite.accountKey};` +
    `TableEndpoint=http://127.0.0.1:${port}/${azurite.accountName};`;
});
after(async () => {
  relay.cut();
  await new Promise<void>((resolve) => relay.server.close(() => resolve()));
  await azurite.stop();
});

test('seeding cut off by a network failure answers 503 and resumes from its saved progress', async () => {
  // Seeding 110 accounts sends about 1.7 MB in groups of 50, 50 and 10 accounts; cutting at 1 MB
  // falls inside the second group, after the first one's progress was saved.
  relay.cutAfterBytes = 1_000_000;
  useSettings({
    WORKER_STORAGE: connectionString,
    WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
    WORKER_DEMO_ACCOUNTS: String(ACCOUNTS),
  });
  const cut = testContext();
  const failed = await listItems(listRequest('statements'), cut.context);
  assert.equal(failed.status, 503);
  assert.equal(headerOf(failed, 'retry-after'), '5');
  assert.ok(cut.events.some((e) => e.event === 'store.unavailable'));

  relay.cutAfterBytes = Infinity;
  const resumed = testContext();
  const listed = await listItems(listRequest('statements', { limit: '1000' }), resumed.context);
  assert.equal(listed.status, 200);
  assert.equal((bodyOf(listed).items as unknown[]).length, ACCOUNTS);
  const seeding = resumed.events.find((e) => e.event === 'demo.seeding');
  assert.ok(Number(seeding?.properties.from) > 1, `resumed from ${String(seeding?.properties.from)}`);

  // The last account of the data set was written after the cut: its ledger must be complete.
  const tables = createTables({ kind: 'connectionString', connectionString: azurite.connectionString });
  let entries = 0;
  for await (const _ of tables.ledger.listEntities({
    queryOptions: { filter: odata`PartitionKey eq ${accountId(ACCOUNTS)}` },
  })) {
    entries += 1;
  }
  assert.equal(entries, generateAccount(ACCOUNTS).entries.length);
});
