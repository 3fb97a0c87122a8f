// The layout of a devhost data folder and the secrets kept in it (mode 0600, never logged).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Another devhost already runs on this data folder. */
export class DataFolderBusyError extends Error {
  override readonly name = 'DataFolderBusyError';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the data folder for this process (`<root>/devhost.lock` holds the pid): two systems on one
 * folder would share a durable store and fire every timer twice. A lock left by a dead process is
 * taken over. Returns the release function.
 */
export function lockDataFolder(folder: DataFolder): () => void {
  const path = join(folder.root, 'devhost.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        if (readPid(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readPid(path);
      if (owner !== undefined && processAlive(owner)) {
        throw new DataFolderBusyError(
          `The data folder ${folder.root} is in use by devhost process ${owner}; stop it or pass another --data folder.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataFolderBusyError(`Could not lock the data folder ${folder.root}; remove ${path} and retry.`);
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
