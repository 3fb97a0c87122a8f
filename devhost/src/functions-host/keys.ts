// Host keys, generated once per data folder and kept there (mode 0600), like a function app's secrets.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { secretEquals } from '../http-util.js';

export interface HostKeys {
  /** Works for every function, the admin API and the durable webhooks. */
  master: string;
  /** The durable extension's system key (`/runtime/webhooks/durabletask`). */
  system: string;
  /** The default host key for `function`-level HTTP triggers. */
  function: string;
}

export type KeyScope = 'function' | 'admin' | 'system';

interface KeysFile {
  masterKey: string;
  functionKeys: { default: string };
  systemKeys: { durabletask_extension: string };
}

function newKey(): string {
  return randomBytes(32).toString('base64url');
}

function isKeysFile(value: unknown): value is KeysFile {
  const file = value as Partial<KeysFile> | null;
  return (
    typeof file?.masterKey === 'string' &&
    typeof file.functionKeys?.default === 'string' &&
    typeof file.systemKeys?.durabletask_extension === 'string'
  );
}

/** Reads `<dataDir>/keys.json`, creating it with fresh keys the first time. */
export function loadOrCreateKeys(dataDir: string): HostKeys {
  const path = join(dataDir, 'keys.json');
  if (existsSync(path)) {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isKeysFile(parsed)) {
      throw new Error(`${path} is not a devhost keys file; delete it to have new keys generated.`);
    }
    return {
      master: parsed.masterKey,
      system: parsed.systemKeys.durabletask_extension,
      function: parsed.functionKeys.default,
    };
  }

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file: KeysFile = {
    masterKey: newKey(),
    functionKeys: { default: newKey() },
    systemKeys: { durabletask_extension: newKey() },
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return loadOrCreateKeys(dataDir);
}

/** Whether `presented` opens something of `scope`; the master key opens everything. */
export function keyAllows(keys: HostKeys, scope: KeyScope, presented: string | undefined): boolean {
  if (!presented) return false;
  if (secretEquals(presented, keys.master)) return true;
  if (scope === 'function') return secretEquals(presented, keys.function);
  if (scope === 'system') return secretEquals(presented, keys.system);
  return false;
}
