// Slot logic with fixed dates, and the timer handler against a real DurableClient.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { Timer } from '@azure/functions';

import { SettingsError } from '../../orchestrator-app/src/errors.js';
import { handleScheduledRun } from '../../orchestrator-app/src/functions/scheduled-run.js';
import type { RunInput } from '../../orchestrator-app/src/orchestrations/run-model.js';
import {
  periodClosedBy,
  planSlot,
  scheduledRunId,
  slotAt,
  validateSchedule,
} from '../../orchestrator-app/src/schedule/schedule-slot.js';
import { startDurableStub, type DurableStub } from './helpers/durable-client.js';

const MONTHLY = '0 0 2 1 * *';
const NIGHTLY = '0 30 1 * * *';

test('a fire at the slot, or a little before or after it, belongs to that slot', () => {
  for (const now of ['2026-12-01T02:00:00.000Z', '2026-12-01T01:59:59.400Z', '2026-12-01T02:00:03.000Z']) {
    assert.equal(slotAt(MONTHLY, new Date(now)).toISOString(), '2026-12-01T02:00:00.000Z', now);
  }
});

test('the run id is the job and the slot in yyyyMMddTHHmmZ', () => {
  assert.equal(scheduledRunId('statements', new Date('2026-12-01T02:00:00Z')), 'statements-20261201T0200Z');
});

test('a monthly slot closes the month before it, across a year end', () => {
  assert.equal(periodClosedBy(MONTHLY, new Date('2026-12-01T02:00:00Z')), '2026-11');
  assert.equal(periodClosedBy(MONTHLY, new Date('2027-01-01T02:00:00Z')), '2026-12');
});

test('a nightly slot closes the month its previous night fell in', () => {
  assert.equal(periodClosedBy(NIGHTLY, new Date('2026-12-15T01:30:00Z')), '2026-12');
  assert.equal(periodClosedBy(NIGHTLY, new Date('2026-12-01T01:30:00Z')), '2026-11');
});

test('a past-due fire long after its slot is skipped unless catch-up is on', () => {
  const late = {
    schedule: MONTHLY,
    job: 'statements',
    now: new Date('2026-12-03T09:00:00Z'),
    isPastDue: true,
  };
  assert.deepEqual(
    (({ action, runId, period }) => ({ action, runId, period }))(planSlot({ ...late, catchUp: false })),
    { action: 'skip-missed', runId: 'statements-20261201T0200Z', period: '2026-11' },
  );
  assert.equal(planSlot({ ...late, catchUp: true }).action, 'start');
});

test('a past-due fire within the grace period still starts its slot', () => {
  const plan = planSlot({
    schedule: MONTHLY,
    job: 'statements',
    now: new Date('2026-12-01T02:02:00Z'),
    isPastDue: true,
    catchUp: false,
  });
  assert.equal(plan.action, 'start');
});

test('a schedule that is not a six-field NCRONTAB is a settings error naming RUN_SCHEDULE', () => {
  for (const bad of ['0 2 1 * *', '00:05:00', '0 0 99 1 * *']) {
    assert.throws(
      () => validateSchedule(bad),
      (error: unknown) => error instanceof SettingsError && error.setting === 'RUN_SCHEDULE',
      bad,
    );
  }
});

test('the occurrence the host scheduled the fire for names the slot, unless it lies in the future', () => {
  const base = { schedule: NIGHTLY, job: 'statements', isPastDue: true, catchUp: true };
  const missed = planSlot({
    ...base,
    now: new Date('2026-12-20T08:00:00Z'),
    scheduledFor: new Date('2026-12-18T01:30:00Z'),
  });
  assert.equal(missed.runId, 'statements-20261218T0130Z');
  const ahead = planSlot({
    ...base,
    now: new Date('2026-12-20T08:00:00Z'),
    scheduledFor: new Date('2026-12-21T01:30:00Z'),
  });
  assert.equal(ahead.runId, 'statements-20261220T0130Z');
});

let durable: DurableStub;
before(async () => {
  durable = await startDurableStub();
});
after(async () => {
  await durable.close();
});

const timer = (isPastDue: boolean): Timer => ({
  isPastDue,
  schedule: { adjustForDST: true },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
});

test('the timer starts the slot once: a pending or running run is skipped, a finished one never restarted', async () => {
  const now = new Date('2026-12-01T02:00:00.120Z');
  assert.equal(await handleScheduledRun(timer(false), durable.client(), durable.context(), now), 'started');
  const run = durable.instances.get('statements-20261201T0200Z');
  assert.equal(run?.name, 'runOrchestrator');
  const input = run?.input as RunInput;
  assert.deepEqual([input.job, input.period, input.trigger], ['statements', '2026-11', 'schedule']);

  assert.equal(
    await handleScheduledRun(timer(false), durable.client(), durable.context(), now),
    'skipped-running',
  );
  run.runtimeStatus = 'Completed';
  assert.equal(
    await handleScheduledRun(timer(false), durable.client(), durable.context(), now),
    'skipped-finished',
  );
  assert.equal([...durable.instances.keys()].filter((id) => id.startsWith('statements-')).length, 1);
  assert.ok(durable.logs.some((line) => line.includes('"event":"schedule.slot-running"')));
});

test('a missed slot is logged as past due and skipped when catch-up is off', async () => {
  const result = await handleScheduledRun(
    timer(true),
    durable.client(),
    durable.context(),
    new Date('2027-01-02T10:00:00Z'),
  );
  assert.equal(result, 'skipped-missed');
  assert.equal(durable.instances.has('statements-20270101T0200Z'), false);
  const pastDue = durable.logs.find((line) => line.includes('"event":"schedule.past-due"'));
  assert.match(pastDue ?? '', /"isPastDue":true/);
});
