import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  type IdentityServer,
  loadRegistrations,
  startIdentityServer,
} from '../../../devhost/src/identity/index.js';
import type { LogRecord } from '../../../devhost/src/log.js';
import { recordingLogger } from '../../support/recording-logger.js';

export const registrations = loadRegistrations();

export async function tempDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'devhost-identity-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An identity server on a free loopback port over a fresh data folder. */
export async function startTestIdentity(
  options: Partial<Parameters<typeof startIdentityServer>[0]> = {},
): Promise<{ identity: IdentityServer; dataDir: string; records: LogRecord[]; stop(): Promise<void> }> {
  const data = await tempDataDir();
  const { logger, records } = recordingLogger();
  const identity = await startIdentityServer({
    port: 0,
    dataDir: data.dir,
    registrations,
    logger,
    ...options,
  });
  return {
    identity,
    dataDir: options.dataDir ?? data.dir,
    records,
    async stop() {
      await identity.close();
      await data.remove();
    },
  };
}

export async function miRequest(
  identity: IdentityServer,
  query: Record<string, string>,
  header: string | null = identity.managedIdentity.header,
): Promise<Response> {
  const url = `${identity.managedIdentity.endpoint}?${new URLSearchParams(query).toString()}`;
  return fetch(url, { headers: header === null ? {} : { 'x-identity-header': header } });
}

export const WORKER_RESOURCE = { 'api-version': '2019-08-01', resource: registrations.worker.identifierUri };
