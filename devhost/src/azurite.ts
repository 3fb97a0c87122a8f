import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { once } from 'node:events';

/** Where a running Azurite answers, and the connection string for its per-run account key. */
export interface AzuriteEndpoints {
  accountName: string;
  /** The account key Azurite was started with; generated, never a published emulator key. */
  accountKey: string;
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  /** A connection string for the Azure SDKs (local emulator only). */
  connectionString: string;
}

export interface AzuriteOptions {
  /** Keep data here; omit for in-memory storage that disappears with the process. */
  location?: string;
  /** Account key to use, for example one stored in a data folder; generated when omitted. */
  accountKey?: string;
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  /** How long to wait for all three services to listen. */
  startTimeoutMs?: number;
}

export interface RunningAzurite extends AzuriteEndpoints {
  process: ChildProcess;
  stop(): Promise<void>;
}

const ACCOUNT_NAME = 'devstoreaccount1';
const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/\S+)/g;

/** Generates an account key in the form Azure Storage uses (64 random bytes, base64). */
export function generateAccountKey(): string {
  return randomBytes(64).toString('base64');
}

/**
 * Starts Azurite (blob, queue and table) from the npm package on 127.0.0.1, with a generated account
 * key, and resolves once every service listens. Port 0 (the default) picks free ports.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('azurite/dist/src/azurite.js');
  const accountKey = options.accountKey ?? generateAccountKey();
  const args = [
    entry,
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(options.blobPort ?? 0),
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(options.queuePort ?? 0),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(options.tablePort ?? 0),
    '--skipApiVersionCheck',
    '--disableProductStyleUrl',
    '--disableTelemetry',
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, AZURITE_ACCOUNTS: `${ACCOUNT_NAME}:${accountKey}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const urls = await waitForServices(child, options.startTimeoutMs ?? 30_000);
  const blobEndpoint = `${urls.Blob}/${ACCOUNT_NAME}`;
  const queueEndpoint = `${urls.Queue}/${ACCOUNT_NAME}`;
  const tableEndpoint = `${urls.Table}/${ACCOUNT_NAME}`;
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT_NAME};AccountKey=${accountKey};` +
    `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`;

  return {
    accountName: ACCOUNT_NAME,
    accountKey,
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    connectionString,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForServices(child: ChildProcess, timeoutMs: number): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  let output = '';
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Azurite did not start within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      for (const match of output.matchAll(LISTENING)) {
        const [, service, url] = match;
        if (service && url) urls[service] = url;
      }
      if (urls.Blob && urls.Queue && urls.Table) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(urls);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`Azurite exited before it listened (code ${code}, signal ${signal}). Output:\n${output}`),
      );
    });
  });
}
