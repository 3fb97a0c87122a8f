// fast-check fuzzing of the orchestrator's run API through its Easy Auth proxy with a valid operator
// token: odd bodies, run ids, query strings and headers get 2xx or problem+json 4xx, never a 5xx; the
// host never goes down; and only accepted start requests create orchestration instances.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import fc from 'fast-check';

import { type ReliableSystem, startReliableSystem } from './support/reliable-system.js';
import {
  assertWellFormed,
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

const RUNS = SIZES.fuzzRuns;

let r: ReliableSystem;
let token: string;
let pid: number;
let knownRun: string;

before(async () => {
  r = await startReliableSystem({ demoAccounts: 5, benchItems: 3 });
  token = await r.operatorToken();
  pid = r.system.hosts.orchestrator.pid;
  knownRun = (await r.runs.start({ job: 'bench', maxParallel: 2 })).id;
  await r.waitForEnd(knownRun, 60_000);
});

after(async () => {
  await r.stop();
});

async function instanceCount(): Promise<number> {
  const { management } = r.system.urls;
  let count = 0;
  let continuation: string | null = null;
  do {
    const res: Response = await fetch(
      `${management}/instances?top=1000&showInput=false&code=${r.system.keys.orchestrator.system}`,
      {
        headers: continuation ? { 'x-ms-continuation-token': continuation } : {},
      },
    );
    count += ((await res.json()) as unknown[]).length;
    continuation = res.headers.get('x-ms-continuation-token');
  } while (continuation);
  return count;
}

const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });
const runId = fc.oneof(fc.constant('known'), segmentText, fc.stringMatching(/^run-[a-f0-9-]{1,36}$/));
const resolveId = (id: string): string => (id === 'known' ? knownRun : id);
const startBody = bodies({
  job: memberValue(fc.constantFrom('bench', 'statements', 'nope', 'a b')),
  period: memberValue(fc.constantFrom('2026-01', '2026-13', '26-01')),
  itemIds: memberValue(
    fc.array(fc.constantFrom('b-000001', 'b-000002', '', 'a b', 'x'.repeat(200)), { maxLength: 4 }),
  ),
  maxParallel: memberValue(fc.integer({ min: -2, max: 300 })),
  chunkSize: memberValue(fc.integer({ min: 0, max: 2_000 })),
});

test(`POST /api/runs answers ${RUNS} fuzzed starts well-formed and only accepted ones create instances`, async () => {
  const before = await instanceCount();
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(startBody, extraHeaders, async (body, headers) => {
      const answer = await send(`${r.system.urls.orchestrator}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers, ...auth() },
        body,
      });
      assertWellFormed(answer, `POST /api/runs ${body.slice(0, 120)}`);
      if (answer.status < 300) accepted += 1;
    }),
    { numRuns: RUNS },
  );
  const added = (await instanceCount()) - before;
  // An accepted start creates one run; its chunks are sub-orchestrations (at most one per 10 items here).
  assert.ok(added <= accepted * 2, `${added} instances for ${accepted} accepted starts`);
  if (accepted === 0) assert.equal(added, 0);
});

test(`GET /api/runs/{id} and the list answer ${RUNS} fuzzed calls well-formed`, async () => {
  await fc.assert(
    fc.asyncProperty(
      runId,
      queries(['status', 'from', 'to', 'top', 'continuationToken']),
      extraHeaders,
      async (id, query, headers) => {
        const one = `${r.system.urls.orchestrator}/api/runs/${segment(resolveId(id))}`;
        assertWellFormed(
          await send(one, { headers: { ...headers, ...auth() } }),
          `GET ${one}`,
          unroutable(resolveId(id)),
        );
        const list = `${r.system.urls.orchestrator}/api/runs${query ? `?${query}` : ''}`;
        assertWellFormed(await send(list, { headers: { ...headers, ...auth() } }), `GET ${list}`);
      },
    ),
    { numRuns: RUNS },
  );
});

test(`cancel and retry-failed answer ${RUNS * 2} fuzzed calls (about ${RUNS} each) well-formed`, async () => {
  const before = await instanceCount();
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(
      runId,
      fc.constantFrom('cancel', 'retry-failed'),
      fc.string({ maxLength: 50 }),
      extraHeaders,
      async (id, action, body, headers) => {
        const url = `${r.system.urls.orchestrator}/api/runs/${segment(resolveId(id))}/${action}`;
        const answer = await send(url, { method: 'POST', headers: { ...headers, ...auth() }, body });
        assertWellFormed(answer, `POST ${url}`, unroutable(resolveId(id)));
        if (answer.status < 300 && action === 'retry-failed') accepted += 1;
      },
    ),
    { numRuns: RUNS * 2 },
  );
  assert.ok((await instanceCount()) - before <= accepted * 2);
});

test('the orchestrator host survived the fuzzing and still answers', async () => {
  assert.equal(r.system.hosts.orchestrator.pid, pid);
  assert.equal((await send(`${r.system.urls.orchestrator}/api/health`, {})).status, 200);
});
