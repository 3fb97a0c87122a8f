// The layout of a devhost data folder and the secrets kept in it (mode 0600, never logged).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { generateAccountKey } from '../azurite.js';

export interface DataFolder {
  root: string;
  azurite: string;
  orchestrator: string;
  worker: string;
}

export function dataFolder(path: string): DataFolder {
  const root = resolve(path);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return {
    root,
    azurite: join(root, 'azurite'),
    orchestrator: join(root, 'orchestrator'),
    worker: join(root, 'worker'),
  };
}

/** The Azurite account key of this data folder, generated on first use so stored data stays readable. */
export function azuriteAccountKey(folder: DataFolder): string {
  const path = join(folder.root, 'azurite-key');
  if (existsSync(path)) {
    const key = readFileSync(path, 'utf8').trim();
    if (key.length > 0) return key;
  }
  const key = generateAccountKey();
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}
