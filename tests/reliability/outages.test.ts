// Outages mid-run: the managed-identity endpoint refuses connections (and the orchestrator host is
// restarted meanwhile, so its token cache is cold and a token is really needed), and the worker host
// is down. Both runs complete with every item processed.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { eventsOf, type ReliableSystem, startReliableSystem } from './support/reliable-system.js';
import { SIZES } from './support/sizes.js';

const ITEMS = SIZES.outageItems;
/** Long enough per item that the run is still going when the outage begins. */
const LATENCY_MS = 40;
const MAX_PARALLEL = 8;

let r: ReliableSystem;

before(async () => {
  r = await startReliableSystem({
    benchItems: ITEMS,
    env: { worker: { WORKER_BENCH_LATENCY_MS: String(LATENCY_MS) } },
  });
});

after(async () => {
  await r.stop();
});

async function startAndReach(share: number): Promise<string> {
  const before = eventsOf(r.system, 'item.processed', 'worker');
  const run = await r.runs.start({ job: 'bench', maxParallel: MAX_PARALLEL });
  const point = before + Math.floor(ITEMS * share);
  await r.until(
    `${point} processed items`,
    () => eventsOf(r.system, 'item.processed', 'worker') >= point,
    120_000,
  );
  return run.id;
}

test(`the managed-identity endpoint down for ${SIZES.identityOutageSeconds} s mid-run, with a cold token cache, delays the run only`, async (t) => {
  const identity = r.system.identity!;
  const id = await startAndReach(0.2);

  await identity.setFaults({ refused: true, refusedForMs: SIZES.identityOutageSeconds * 1000 });
  await r.system.hosts.orchestrator.kill();
  await r.system.hosts.orchestrator.restart();
  const final = await r.waitForEnd(id, 600_000);
  t.diagnostic(
    `identity stats ${JSON.stringify(identity.stats())}, progress ${JSON.stringify(final.progress)}`,
  );

  assert.equal(final.status, 'completed', JSON.stringify(final));
  assert.equal(final.progress.succeeded, ITEMS, JSON.stringify(final.progress));
  assert.equal(identity.faults().refused, false, 'the outage ended by itself');
});

test(`the worker down for ${SIZES.workerOutageSeconds} s mid-run: the run completes and no item is lost`, async (t) => {
  const id = await startAndReach(0.2);

  await r.system.hosts.worker.stop();
  await delay(SIZES.workerOutageSeconds * 1000);
  await r.system.hosts.worker.restart();
  const final = await r.waitForEnd(id, 600_000);
  t.diagnostic(
    `progress ${JSON.stringify(final.progress)}, failure sample ${JSON.stringify(final.failures.sample.slice(0, 3))}`,
  );

  assert.equal(final.status, 'completed', JSON.stringify(final));
  // Calls in flight when the worker went away spend their inline retries on the proxy's 502, then
  // wait on durable timers (RUN_THROTTLE_MAX_WAITS) until the worker is back: nothing fails.
  assert.equal(final.progress.succeeded, ITEMS, JSON.stringify(final.progress));
  assert.equal(final.progress.failed, 0, JSON.stringify(final.failures.sample.slice(0, 3)));
});
