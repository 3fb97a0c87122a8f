// Runs bench/baseline-child.ts in its own process with the orchestrator's settings and reads its result.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type { BaselineConfig, BaselineResult } from '../baseline-child.js';
import { sampleMemory } from './rss.js';
import type { BenchSystem } from './system.js';

const CHILD = join(import.meta.dirname, '..', 'baseline-child.ts');

export interface MeasuredBaseline extends BaselineResult {
  tokenRequests: number;
  peakRssMb: number;
}

/** The orchestrator's app settings as the supervisor gives them, for the baseline process. */
function orchestratorSettings(bench: BenchSystem): Record<string, string> {
  const { system } = bench;
  const identity = system.identity;
  if (!identity)
    throw new Error('The identity server is not running; the baseline needs its managed identity.');
  return {
    WORKER_BASE_URL: system.urls.worker,
    WORKER_SCOPE: `${system.registrations.worker.identifierUri}/.default`,
    ORCHESTRATOR_IDENTITY_CLIENT_ID: system.registrations.orchestratorIdentity.clientId,
    IDENTITY_ENDPOINT: identity.managedIdentity.endpoint,
    IDENTITY_HEADER: identity.managedIdentity.header,
  };
}

/** Runs the plain fan-out once and measures it like a durable run. */
export async function measureBaseline(bench: BenchSystem, config: BaselineConfig): Promise<MeasuredBaseline> {
  bench.system.identity?.resetStats();
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], {
    env: { ...process.env, ...orchestratorSettings(bench) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const memory = sampleMemory(child.pid ?? -1);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const peakRssMb = memory.stop();
  if (code !== 0) throw new Error(`The baseline process exited with ${code}: ${out}`);
  const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as BaselineResult;
  return {
    ...result,
    tokenRequests: bench.system.identity?.stats().managedIdentityRequests ?? NaN,
    peakRssMb,
  };
}
