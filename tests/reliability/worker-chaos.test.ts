// Worker chaos through the Easy Auth proxy's test switch: 30% 429 (Retry-After: 1), 5% 503 and 2%
// connection resets on authenticated calls. Every item still succeeds and the retries are counted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { type ReliableSystem, startReliableSystem } from './support/reliable-system.js';
import { suiteSeed } from './support/random.js';
import { SIZES } from './support/sizes.js';

const ITEMS = SIZES.chaosItems;
const SEED = suiteSeed();

let r: ReliableSystem;

before(async () => {
  r = await startReliableSystem({ benchItems: ITEMS });
});

after(async () => {
  await r.stop();
});

test(`a ${ITEMS}-item run through 30% 429, 5% 503 and 2% resets succeeds for every item`, async (t) => {
  t.diagnostic(`seed ${SEED} (RELIABILITY_SEED to repeat)`);
  const proxy = r.system.proxies.worker;
  assert.ok(proxy, 'the worker proxy runs');
  proxy.setChaos({
    throttleRate: 0.3,
    unavailableRate: 0.05,
    resetRate: 0.02,
    retryAfterSeconds: 1,
    seed: SEED,
  });

  let final;
  try {
    const run = await r.runs.start({ job: 'bench', maxParallel: 32 });
    final = await r.waitForEnd(run.id, 600_000);
  } finally {
    proxy.setChaos(null);
  }
  const injected = proxy.chaosStats();
  t.diagnostic(`chaos ${JSON.stringify(injected)}, run progress ${JSON.stringify(final.progress)}`);

  assert.equal(final.status, 'completed', JSON.stringify(final));
  assert.equal(final.progress.succeeded, ITEMS);
  assert.equal(final.progress.failed, 0);
  assert.ok(injected.throttled > 0 && injected.unavailable > 0 && injected.reset > 0);
  const faults = injected.throttled + injected.unavailable + injected.reset;
  // Each fault on a process call costs that item one more attempt, counted as a retry; faults on
  // the few item-list calls are retried by the list activity and not counted per item.
  assert.ok(final.progress.retries <= faults, `retries ${final.progress.retries} > faults ${faults}`);
  assert.ok(
    final.progress.retries >= faults * 0.9 - 10,
    `retries ${final.progress.retries} of ${faults} faults`,
  );
});
