// fast-check fuzzing of the worker's API through its Easy Auth proxy with a valid token: odd jobs,
// item ids, query strings, headers and bodies get 2xx or problem+json 4xx, never a 5xx; the worker
// host never goes down; and a rejected call stores nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import fc from 'fast-check';

import { type ReliableSystem, startReliableSystem } from './support/reliable-system.js';
import {
  assertWellFormed,
  headerValue,
  unroutable,
  bodies,
  extraHeaders,
  memberValue,
  queries,
  segment,
  segmentText,
  send,
} from './support/fuzz.js';
import { SIZES } from './support/sizes.js';
import { countRows } from './support/worker-tables.js';

const ACCOUNTS = 20;
const RUNS = SIZES.fuzzRuns;

let r: ReliableSystem;
let token: string;
let pid: number;

before(async () => {
  r = await startReliableSystem({ demoAccounts: ACCOUNTS, benchItems: 5 });
  token = await r.workerToken();
  pid = r.system.hosts.worker.pid;
  // Seed the demo data first, so the store only changes through the calls under test.
  const seeded = await send(`${r.system.urls.worker}/api/jobs/statements/items?limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(seeded.status, 200);
});

after(async () => {
  await r.stop();
});

const job = fc.oneof(fc.constantFrom('statements', 'bench'), segmentText);
const itemId = fc.oneof(
  fc.integer({ min: 0, max: ACCOUNTS + 2 }).map((n) => `acct-${String(n).padStart(6, '0')}`),
  fc.constantFrom('b-000001', 'b-999999'),
  segmentText,
);
const idempotencyKey = fc.option(fc.oneof(fc.stringMatching(/^[a-z0-9:-]{1,40}$/), headerValue), {
  nil: undefined,
});
const processBody = bodies({
  runId: memberValue(fc.stringMatching(/^[a-z0-9-]{1,20}$/)),
  period: memberValue(fc.constantFrom('2026-01', '2026-13', '2026-6', '1999-01', '9999-12')),
});

test(`the item list answers ${RUNS} fuzzed calls with 2xx or problem+json 4xx`, async () => {
  await fc.assert(
    fc.asyncProperty(job, queries(['cursor', 'limit']), extraHeaders, async (name, query, headers) => {
      const url = `${r.system.urls.worker}/api/jobs/${segment(name)}/items${query ? `?${query}` : ''}`;
      assertWellFormed(
        await send(url, { headers: { ...headers, authorization: `Bearer ${token}` } }),
        `GET ${url}`,
        unroutable(name),
      );
    }),
    { numRuns: RUNS },
  );
});

test(`the process call answers ${RUNS} fuzzed calls well-formed and a rejected call stores nothing`, async () => {
  const rows = async (): Promise<number> =>
    (await countRows(r.system.storageConnectionString, 'WorkerIdempotency')) +
    (await countRows(r.system.storageConnectionString, 'WorkerStatements'));
  const before = await rows();
  let accepted = 0;

  await fc.assert(
    fc.asyncProperty(
      job,
      itemId,
      processBody,
      idempotencyKey,
      extraHeaders,
      async (name, item, body, key, headers) => {
        const url = `${r.system.urls.worker}/api/jobs/${segment(name)}/items/${segment(item)}/process`;
        const keyHeader: Record<string, string> = key === undefined ? {} : { 'idempotency-key': key };
        const answer = await send(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...keyHeader,
            ...headers,
            authorization: `Bearer ${token}`,
          },
          body,
        });
        assertWellFormed(answer, `POST ${url} ${body.slice(0, 100)}`, unroutable(name, item));
        if (answer.status < 300) accepted += 1;
      },
    ),
    { numRuns: RUNS },
  );

  // An accepted statements call stores at most an idempotency record and a statement.
  const added = (await rows()) - before;
  assert.ok(added <= accepted * 2, `${added} rows stored for ${accepted} accepted calls`);
});

test('the worker host survived the fuzzing and still answers', async () => {
  assert.equal(r.system.hosts.worker.pid, pid);
  assert.equal((await send(`${r.system.urls.worker}/api/health`, {})).status, 200);
});
