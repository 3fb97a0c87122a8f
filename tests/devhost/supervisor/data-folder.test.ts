import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import {
  azuriteAccountKey,
  dataFolder,
  lockDataFolder,
} from '../../../devhost/src/supervisor/data-folder.js';

const root = mkdtempSync(join(tmpdir(), 'devhost-folder-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a data folder is locked for one system at a time', () => {
  const folder = dataFolder(join(root, 'a'));
  const release = lockDataFolder(folder);
  assert.throws(() => lockDataFolder(folder), {
    name: 'DataFolderBusyError',
    message: /in use by devhost process/,
  });
  release();
  lockDataFolder(folder)();
});

test('a lock left by a process that is gone is taken over', () => {
  const folder = dataFolder(join(root, 'b'));
  writeFileSync(join(folder.root, 'devhost.lock'), '2147483646\n');
  const release = lockDataFolder(folder);
  release();
});

test('the Azurite key is generated once per data folder and then reused', () => {
  const folder = dataFolder(join(root, 'c'));
  const first = azuriteAccountKey(folder);
  assert.equal(Buffer.from(first, 'base64').length, 64);
  assert.equal(azuriteAccountKey(folder), first);
  assert.notEqual(azuriteAccountKey(dataFolder(join(root, 'd'))), first);
});
