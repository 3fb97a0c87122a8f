import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TableClient } from '@azure/data-tables';

import { startAzurite } from '../../devhost/src/azurite.js';

test('Azurite starts on free loopback ports with a generated key and serves tables', async () => {
  const azurite = await startAzurite();
  try {
    assert.match(azurite.tableEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    const client = TableClient.fromConnectionString(azurite.connectionString, 'probe', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    await client.createEntity({ partitionKey: 'p', rowKey: 'r', value: 42 });
    const entity = await client.getEntity<{ value: number }>('p', 'r');
    assert.equal(entity.value, 42);
  } finally {
    await azurite.stop();
  }
});
