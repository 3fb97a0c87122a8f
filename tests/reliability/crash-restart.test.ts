// kill -9 of the orchestrator host at random moments of a statements run, each followed by a restart
// on the same data folder: the run completes and the worker stored exactly one statement per account,
// each the effect its idempotency record answers with.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { eventsOf, type ReliableSystem, startReliableSystem } from './support/reliable-system.js';
import { seededRandom, sortedPoints, suiteSeed } from './support/random.js';
import { SIZES } from './support/sizes.js';
import { readLedger, readStatements } from './support/worker-tables.js';

const PERIOD = '2026-06';
const ITEMS = SIZES.crashItems;
const KILLS = SIZES.crashKills;
const SEED = suiteSeed();

let r: ReliableSystem;

before(async () => {
  r = await startReliableSystem({ demoAccounts: ITEMS });
});

after(async () => {
  await r.stop();
});

test(`a ${ITEMS}-item run killed ${KILLS} times with SIGKILL completes with every statement stored once`, async (t) => {
  t.diagnostic(`seed ${SEED} (RELIABILITY_SEED to repeat)`);
  const random = seededRandom(SEED);
  const run = await r.runs.start({ job: 'statements', period: PERIOD, maxParallel: 32, chunkSize: 50 });

  // Kill points are shares of the items the worker has processed, so every kill lands mid-run.
  const points = sortedPoints(random, KILLS, 0.05, 0.9).map((share) => Math.floor(share * ITEMS));
  const pids = new Set<number>();
  for (const point of points) {
    await r.until(
      `${point} processed items`,
      () => eventsOf(r.system, 'item.processed', 'worker') >= point,
      300_000,
    );
    pids.add(r.system.hosts.orchestrator.pid);
    await r.system.hosts.orchestrator.kill();
    await r.system.hosts.orchestrator.restart();
    t.diagnostic(`killed at ${point} processed items, restarted as pid ${r.system.hosts.orchestrator.pid}`);
  }
  assert.equal(pids.size, KILLS, 'each kill ended a different host process');

  const final = await r.waitForEnd(run.id, 600_000);
  assert.equal(final.status, 'completed', JSON.stringify(final));
  assert.equal(final.progress.succeeded, ITEMS);
  assert.equal(final.progress.failed, 0);

  const statements = await readStatements(r.system.storageConnectionString, PERIOD);
  const accounts = new Set(statements.map((s) => s.accountId));
  assert.equal(statements.length, ITEMS, 'one statement per account, none lost');
  assert.equal(accounts.size, ITEMS);
  assert.ok(statements.every((s) => s.runId === run.id));
  assert.ok(statements.every((s) => s.closingBalance === s.openingBalance + s.credits - s.debits));

  const ledger = await readLedger(r.system.storageConnectionString);
  for (const statement of statements) {
    const record = ledger.get(statement.idempotencyKeyHash);
    assert.equal(record?.state, 'done', `idempotency record of ${statement.accountId}`);
    const answered = JSON.parse(record.response ?? '{}') as { processedAt?: string };
    assert.equal(
      answered.processedAt,
      statement.processedAt,
      `${statement.accountId} was written once, by the answered call`,
    );
  }
  t.diagnostic(
    `worker effects ${eventsOf(r.system, 'item.processed', 'worker')}, replays ${eventsOf(r.system, 'item.replayed', 'worker')}`,
  );
});
