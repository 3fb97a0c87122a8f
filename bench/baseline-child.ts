// The plain fan-out the durable run is compared with, in a process of its own like the orchestrator
// host: the orchestrator's own worker client and token provider (one ManagedIdentityCredential against
// the same local managed-identity endpoint, single-flight), the same Easy Auth proxy and worker, the
// same number of calls in flight, and no durability. Prints one JSON line with the result.
import { ManagedIdentityCredential } from '@azure/identity';

import { parseWorkerSettings } from '../orchestrator-app/src/settings.js';
import { createTokenProvider } from '../orchestrator-app/src/worker/token-provider.js';
import { createWorkerClient, type WorkerClient } from '../orchestrator-app/src/worker/worker-client.js';

export interface BaselineConfig {
  job: string;
  period: string;
  runId: string;
  concurrency: number;
}

export interface BaselineResult {
  wallMs: number;
  items: number;
  succeeded: number;
  failed: number;
  retries: number;
  /** Peak resident memory of this process (its own getrusage figure). */
  maxRssMb: number;
}

/** Attempt failures go to stderr, where the bench shows them; successes are not logged. */
const stderrSink = {
  info: (): void => undefined,
  warn: (line: unknown): void => void process.stderr.write(`baseline ${String(line)}\n`),
  error: (line: unknown): void => void process.stderr.write(`baseline ${String(line)}\n`),
};

async function listAll(client: WorkerClient, job: string, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.listItems(job, cursor, pageSize);
    if (page.kind !== 'ok') throw new Error(`Listing ${job} failed: ${page.kind} ${page.status}`);
    ids.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return ids;
}

async function fanOut(config: BaselineConfig): Promise<BaselineResult> {
  const settings = parseWorkerSettings(process.env);
  const credential = new ManagedIdentityCredential({ clientId: settings.identityClientId ?? '' });
  const client = createWorkerClient({
    settings,
    tokens: createTokenProvider(credential, settings.scope, settings.tokenTimeoutMs),
    log: stderrSink,
  });

  const started = performance.now();
  const ids = await listAll(client, config.job, settings.pageSize);
  const result: BaselineResult = {
    wallMs: 0,
    items: ids.length,
    succeeded: 0,
    failed: 0,
    retries: 0,
    maxRssMb: 0,
  };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < ids.length) {
      const itemId = ids[next++]!;
      const outcome = await client.processItem({
        runId: config.runId,
        job: config.job,
        period: config.period,
        itemId,
      });
      result.retries += Math.max(0, outcome.attempts - 1);
      if (outcome.kind === 'ok') result.succeeded += 1;
      else result.failed += 1;
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, lane));
  result.wallMs = performance.now() - started;
  result.maxRssMb = process.resourceUsage().maxRSS / 1024;
  return result;
}

const config = JSON.parse(process.argv[2] ?? '{}') as BaselineConfig;
process.stdout.write(`${JSON.stringify(await fanOut(config))}\n`);
