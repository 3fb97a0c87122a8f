import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { readJsonFile, writePrivateJsonFile } from './files.js';

/** Secrets of one data folder, in `<dataDir>/identity/secrets.json` (mode 0600, never committed). */
export interface IdentitySecrets {
  /** What the orchestrator process gets as `IDENTITY_HEADER`. */
  identityHeader: string;
  /** Client id to client secret, for clients that use `client_credentials` (the operator). */
  clientSecrets: Record<string, string>;
}

/** The secrets file is missing or has no secret for the client. */
export class SecretsError extends Error {
  override name = 'SecretsError';
}

export function secretsPath(dataDir: string): string {
  return join(dataDir, 'identity', 'secrets.json');
}

/** Loads the data folder's secrets, generating whichever are missing. */
export async function ensureSecrets(dataDir: string, clientIds: readonly string[]): Promise<IdentitySecrets> {
  const path = secretsPath(dataDir);
  const existing = (await readJsonFile(path)) as Partial<IdentitySecrets> | undefined;
  const secrets: IdentitySecrets = {
    identityHeader: existing?.identityHeader ?? randomSecret(),
    clientSecrets: { ...existing?.clientSecrets },
  };
  for (const clientId of clientIds) secrets.clientSecrets[clientId] ??= randomSecret();

  const changed = JSON.stringify(existing) !== JSON.stringify(secrets);
  if (changed) await writePrivateJsonFile(path, secrets);
  return secrets;
}

/** Reads a client's secret from a data folder the identity server has already initialised. */
export async function readClientSecret(dataDir: string, clientId: string): Promise<string> {
  const path = secretsPath(dataDir);
  const existing = (await readJsonFile(path)) as Partial<IdentitySecrets> | undefined;
  const secret = existing?.clientSecrets?.[clientId];
  if (typeof secret !== 'string') {
    throw new SecretsError(
      `No client secret for ${clientId} in ${path}: start devhost once with this data folder (--data).`,
    );
  }
  return secret;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
