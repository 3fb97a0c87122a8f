// The orchestrator's identity without the worker's app role: the worker answers 403, the auth circuit
// opens, and the run stops after at most maxParallel calls with the reason in its status.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { eventsOf, type ReliableSystem, startReliableSystem } from './support/reliable-system.js';

const ITEMS = 500;
const MAX_PARALLEL = 8;

let r: ReliableSystem;

before(async () => {
  r = await startReliableSystem({ benchItems: ITEMS });
  await r.system.identity?.setFaults({ withoutRoles: ['Worker.Invoke'] });
});

after(async () => {
  await r.stop();
});

test('a run whose identity lacks Worker.Invoke stops after at most maxParallel refused calls', async () => {
  const run = await r.runs.start({ job: 'bench', maxParallel: MAX_PARALLEL });
  const final = await r.waitForEnd(run.id, 120_000);

  assert.equal(final.status, 'failed', JSON.stringify(final));
  assert.match(final.reason ?? '', /Worker\.Invoke/);
  assert.match(final.reason ?? '', /403/);
  const refused = eventsOf(r.system, 'request.forbidden', 'worker');
  assert.ok(refused >= 1, 'the worker refused at least one call');
  assert.ok(
    refused <= MAX_PARALLEL,
    `the worker refused ${refused} calls, more than maxParallel ${MAX_PARALLEL}`,
  );
  assert.equal(eventsOf(r.system, 'item.processed', 'worker'), 0);
  assert.equal(final.progress.succeeded, 0);
});
