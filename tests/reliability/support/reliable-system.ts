// The whole local system for reliability tests, plus what they need around it: an operator client
// whose calls survive an orchestrator restart, a wait for a run's end, and worker tokens.
import { setTimeout as delay } from 'node:timers/promises';

import {
  createRunApiClient,
  FINAL_STATUSES,
  getOperatorToken,
  RunApiError,
  type RunApiClient,
  type RunStatus,
} from '../../../devhost/src/operator/index.js';
import { startTestSystem, type TestSystem, type TestSystemOptions } from '../../support/system.js';

export interface ReliableSystem {
  system: TestSystem;
  runs: RunApiClient;
  /** Polls the run until it ends, riding out restarts and outages; fails after `deadlineMs`. */
  waitForEnd(id: string, deadlineMs: number): Promise<RunStatus>;
  /** Waits until `check` holds, failing with `what` after `deadlineMs`. */
  until(what: string, check: () => boolean | Promise<boolean>, deadlineMs: number): Promise<void>;
  /** A managed-identity token of the orchestrator's identity for the worker, as the orchestrator gets it. */
  workerToken(): Promise<string>;
  /** An operator token for the orchestrator's run API. */
  operatorToken(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the system with the given settings; the worker's bench job is on with `benchItems` items. */
export async function startReliableSystem(
  options: TestSystemOptions & { benchItems?: number; demoAccounts?: number } = {},
): Promise<ReliableSystem> {
  const { benchItems, demoAccounts, ...rest } = options;
  const system = await startTestSystem({
    hostLogLevel: 'info',
    maxRecords: 200_000,
    ...rest,
    env: {
      orchestrator: { ...rest.env?.orchestrator },
      worker: {
        WORKER_BENCH_ENABLED: 'true',
        WORKER_BENCH_ITEMS: String(benchItems ?? 100),
        WORKER_DEMO_ACCOUNTS: String(demoAccounts ?? 100),
        ...rest.env?.worker,
      },
    },
  });
  const identity = system.identity;
  if (!identity) throw new Error('The identity server did not start.');
  const operatorToken = (): Promise<string> =>
    getOperatorToken({
      issuerUrl: system.urls.identity,
      scope: `${system.registrations.orchestratorApi.identifierUri}/.default`,
      dataDir: system.dataDir,
    });
  const runs = createRunApiClient({
    baseUrl: system.urls.orchestrator,
    getToken: operatorToken,
    timeoutMs: 10_000,
  });

  const until = async (
    what: string,
    check: () => boolean | Promise<boolean>,
    deadlineMs: number,
  ): Promise<void> => {
    const end = Date.now() + deadlineMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`Timed out after ${deadlineMs} ms waiting for ${what}.`);
      await delay(100);
    }
  };

  return {
    system,
    runs,
    until,
    async waitForEnd(id, deadlineMs) {
      let last: RunStatus | undefined;
      await until(
        `run ${id} to end`,
        async () => {
          try {
            last = await runs.get(id);
          } catch (error) {
            // The orchestrator may be restarting (502 from its proxy) or briefly unable to answer.
            if (error instanceof RunApiError && error.transient) return false;
            throw error;
          }
          return FINAL_STATUSES.includes(last.status);
        },
        deadlineMs,
      );
      return last!;
    },
    async workerToken() {
      const url = new URL(identity.managedIdentity.endpoint);
      url.searchParams.set('api-version', '2019-08-01');
      url.searchParams.set('resource', system.registrations.worker.identifierUri);
      url.searchParams.set('client_id', system.registrations.orchestratorIdentity.clientId);
      const res = await fetch(url, { headers: { 'x-identity-header': identity.managedIdentity.header } });
      if (!res.ok) throw new Error(`The managed-identity endpoint answered ${res.status}.`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    operatorToken,
    stop: () => system.stop(),
  };
}

/** Records of one event, optionally from one app host (`component`). */
export function eventsOf(system: TestSystem, event: string, component?: string): number {
  let count = 0;
  for (const record of system.records) {
    if (record.event === event && (component === undefined || record.component === component)) count += 1;
  }
  return count;
}
