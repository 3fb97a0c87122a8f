// The whole local system for end-to-end tests: Azurite, identity, both apps in their own host
// processes behind Easy Auth, on free loopback ports, with a fresh data folder unless one is given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLogger, formatReadable, type LogRecord } from '../../devhost/src/log.js';
import { createRunApiClient, getOperatorToken, type RunApiClient } from '../../devhost/src/operator/index.js';
import { portsFromBase, startSystem, type RunningSystem } from '../../devhost/src/supervisor/index.js';

export interface TestSystemOptions {
  /** Reuse a data folder (e.g. to restart on the same state); default a fresh temp folder. */
  dataDir?: string;
  /** Extra app settings per app; they win over what the supervisor sets. */
  env?: { orchestrator?: Record<string, string>; worker?: Record<string, string> };
  /** Start the dashboard too (default false: most tests do not need it). */
  dashboard?: boolean;
  tokenLifetimeSeconds?: number;
  /** Level of the app hosts' logs (default info, so tests can assert on events). */
  hostLogLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Keep at most this many log records (default 20,000; the oldest are dropped). */
  maxRecords?: number;
}

export interface TestSystem extends RunningSystem {
  /** Log records of the supervisor and both hosts, oldest first. Set DEVHOST_TEST_LOGS=1 to see them. */
  records: LogRecord[];
  /** Records whose properties include `value` for `key`, e.g. `('instanceId', id)`. */
  recordsWith(key: string, value: unknown): LogRecord[];
  /** A token of the local operator client for the orchestrator's run API (Runs.Read, Runs.Operate). */
  operatorToken(): Promise<string>;
  /** The run API client through the orchestrator's Easy Auth proxy, with operator tokens. */
  runApi(): RunApiClient;
  /** Stops every part; removes the data folder when the test system created it. */
  stop(): Promise<void>;
}

/** Starts the whole system on ephemeral ports; call `stop()` in an `after` hook. */
export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'devhost-system-'));
  const records: LogRecord[] = [];
  const max = options.maxRecords ?? 20_000;
  const echo = process.env.DEVHOST_TEST_LOGS === '1';
  const keep = (record: LogRecord): void => {
    records.push(record);
    if (records.length > max) records.splice(0, records.length - max);
    if (echo) process.stderr.write(`${formatReadable(record)}\n`);
  };
  const logger = createLogger({
    json: true,
    level: 'debug',
    base: { component: 'devhost' },
    write: (line) => keep(JSON.parse(line) as LogRecord),
  });

  let system: RunningSystem;
  try {
    system = await startSystem({
      dataDir,
      ports: portsFromBase(0),
      logger,
      onHostRecord: keep,
      appEnv: options.env ?? {},
      hostLogLevel: options.hostLogLevel ?? 'info',
      dashboard: options.dashboard ?? false,
      ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
    });
  } catch (err) {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  const scope = `${system.registrations.orchestratorApi.identifierUri}/.default`;
  const operatorToken = (): Promise<string> =>
    getOperatorToken({ issuerUrl: system.urls.identity, scope, dataDir: system.dataDir });
  let stopping: Promise<void> | undefined;
  return {
    ...system,
    records,
    recordsWith: (key, value) => records.filter((record) => record[key] === value),
    operatorToken,
    runApi: () => createRunApiClient({ baseUrl: system.urls.orchestrator, getToken: operatorToken }),
    stop: () =>
      (stopping ??= system.stop().finally(() => {
        if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      })),
  };
}
