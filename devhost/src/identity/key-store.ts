import { join } from 'node:path';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

import { readJsonFile, writePrivateJsonFile } from './files.js';

/** One signing key as stored in `<dataDir>/identity/keys.json`. */
interface StoredKey {
  kid: string;
  createdAt: string;
  /** When a newer key took over; the key stays published until `retiredAt` + retention. */
  retiredAt?: string;
  privateJwk: JWK;
}

/** A public key as the JWKS endpoint publishes it. */
export interface PublicJwk {
  kty: string;
  use: 'sig';
  alg: 'RS256';
  kid: string;
  n: string;
  e: string;
}

/** The key file exists but cannot be used. */
export class KeyStoreError extends Error {
  override name = 'KeyStoreError';
}

/** A private key jose can sign with. */
export type SigningKey = Exclude<Awaited<ReturnType<typeof importJWK>>, Uint8Array>;

export interface KeyStore {
  /** The key new tokens are signed with. */
  current(): { kid: string; key: SigningKey };
  /** The current key and the retired ones still within their retention. */
  jwks(): { keys: PublicJwk[] };
  /** Makes a new key current; the previous one stays published for the retention period. */
  rotate(): Promise<{ kid: string; retiredKid: string }>;
}

export interface KeyStoreOptions {
  dataDir: string;
  /** How long a retired key stays in the JWKS; default 48 h. */
  retiredKeyRetentionSeconds?: number;
  now?: () => number;
}

/** Loads the signing keys of a data folder, creating the first one on first use. */
export async function openKeyStore(options: KeyStoreOptions): Promise<KeyStore> {
  const path = join(options.dataDir, 'identity', 'keys.json');
  const now = options.now ?? Date.now;
  const retentionMs = (options.retiredKeyRetentionSeconds ?? 48 * 3600) * 1000;

  let stored = parseKeyFile(await readJsonFile(path), path);
  if (stored.length === 0) {
    stored = [await newKey(now())];
    await writePrivateJsonFile(path, { keys: stored });
  }
  let signing = await importSigningKey(stored[0]!);

  const published = (): StoredKey[] =>
    stored.filter((key) => key.retiredAt === undefined || Date.parse(key.retiredAt) + retentionMs > now());

  return {
    current: () => signing,
    jwks: () => ({ keys: published().map(toPublicJwk) }),
    async rotate() {
      const previous = stored[0]!;
      const next = await newKey(now());
      previous.retiredAt = new Date(now()).toISOString();
      stored = [next, ...published()];
      await writePrivateJsonFile(path, { keys: stored });
      signing = await importSigningKey(next);
      return { kid: next.kid, retiredKid: previous.kid };
    },
  };
}

async function newKey(at: number): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(privateJwk);
  return { kid, createdAt: new Date(at).toISOString(), privateJwk };
}

async function importSigningKey(stored: StoredKey): Promise<{ kid: string; key: SigningKey }> {
  const key = await importJWK(stored.privateJwk, 'RS256');
  if (key instanceof Uint8Array) throw new KeyStoreError(`Key ${stored.kid} is not an RSA key.`);
  return { kid: stored.kid, key };
}

function toPublicJwk(stored: StoredKey): PublicJwk {
  const { kty, n, e } = stored.privateJwk;
  return { kty: kty ?? 'RSA', use: 'sig', alg: 'RS256', kid: stored.kid, n: n ?? '', e: e ?? '' };
}

function parseKeyFile(value: unknown, path: string): StoredKey[] {
  if (value === undefined) return [];
  const keys = (value as { keys?: unknown }).keys;
  const valid =
    Array.isArray(keys) &&
    keys.every((key: Partial<StoredKey>) => typeof key.kid === 'string' && key.privateJwk?.kty === 'RSA');
  if (!valid) throw new KeyStoreError(`${path} is not a devhost key file: delete it to create new keys.`);
  return keys as StoredKey[];
}
