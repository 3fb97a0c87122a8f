// Waiting for runs in end-to-end tests: poll the run API until a run ends or a deadline passes.
import { setTimeout as delay } from 'node:timers/promises';

import type { RunApiClient, RunStatus } from '../../devhost/src/operator/index.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Resolves with the run's final status; rejects with the last status seen once the deadline passes. */
export async function waitForRunEnd(api: RunApiClient, id: string, deadlineMs = 240_000): Promise<RunStatus> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const status = await api.get(id);
    if (TERMINAL.has(status.status)) return status;
    if (Date.now() > deadline) throw new Error(`run ${id} did not end in time: ${JSON.stringify(status)}`);
    await delay(250);
  }
}
