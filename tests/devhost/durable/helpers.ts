// Shared helpers of the durable backend tests: a function host over a fixture app on a fresh data
// folder, management API calls with the system key, and waiting for an instance to end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { startFunctionHost, type FunctionHost } from '../../../devhost/src/functions-host/index.js';
import { createLogger, type Logger } from '../../../devhost/src/log.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/apps');
export const quietLogger: Logger = createLogger({ json: true, level: 'error', write: () => undefined });

export interface TestHost {
  host: FunctionHost;
  dataDir: string;
  /** `/runtime/webhooks/durabletask` + path, with the system key. */
  mgmt(path: string, init?: RequestInit & { noKey?: boolean }): Promise<Response>;
  close(): Promise<void>;
}

export interface StatusBody {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Record<string, unknown>[];
}

export async function startTestHost(
  app: string,
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `devhost-${app}-`));
  const host = await startFunctionHost({
    appDir: join(FIXTURES, app),
    port: 0,
    dataDir,
    logger: quietLogger,
    timers: false,
    ...(options.env ? { env: options.env } : {}),
  });
  const mgmt = (path: string, init: RequestInit & { noKey?: boolean } = {}): Promise<Response> => {
    const url = new URL(`${host.url}/runtime/webhooks/durabletask${path}`);
    if (!init.noKey) url.searchParams.set('code', host.keys.system);
    return fetch(url, init);
  };
  return {
    host,
    dataDir,
    mgmt,
    close: async () => {
      await host.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const ENDED = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

/** Polls the status endpoint until the instance ends (or `deadlineMs` passes, which fails). */
export async function waitForEnd(t: TestHost, id: string, deadlineMs = 30_000): Promise<StatusBody> {
  return waitForStatus(t, id, (s) => ENDED.has(s.runtimeStatus), deadlineMs);
}

export async function waitForStatus(
  t: TestHost,
  id: string,
  done: (status: StatusBody) => boolean,
  deadlineMs = 30_000,
): Promise<StatusBody> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const res = await t.mgmt(`/instances/${encodeURIComponent(id)}`);
    if (res.status !== 404) {
      const body = (await res.json()) as StatusBody;
      if (done(body)) return body;
    } else await res.body?.cancel();
    if (Date.now() > until)
      throw new Error(`Instance ${id} did not reach the expected state in ${deadlineMs} ms.`);
    await delay(20);
  }
}

export async function startInstance(
  t: TestHost,
  name: string,
  input?: unknown,
  id?: string,
): Promise<string> {
  const res = await t.mgmt(`/orchestrators/${name}${id ? `/${encodeURIComponent(id)}` : ''}`, {
    method: 'POST',
    ...(input !== undefined
      ? { body: JSON.stringify(input), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  if (res.status !== 202) throw new Error(`Start of ${name} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}
