import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import {
  ManualClock,
  startFunctionHost,
  type TimerFired,
} from '../../../devhost/src/functions-host/index.js';
import {
  parseSchedule,
  resolveBindingExpression,
} from '../../../devhost/src/functions-host/timers/schedule.js';
import { recordingLogger } from '../../support/recording-logger.js';

const APP_DIR = join(import.meta.dirname, '../../fixtures/apps/timer-basic');
const EVERY_FIVE_MINUTES = '0 */5 * * * *';
const folders: string[] = [];

after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'devhost-timers-'));
  folders.push(dir);
  return dir;
}

/** Collects timer firings and lets a test await the next one of a function. */
function firings() {
  const all: TimerFired[] = [];
  const waiters: { name: string; count: number; resolve: (fired: TimerFired) => void }[] = [];
  const onFired = (fired: TimerFired): void => {
    all.push(fired);
    const count = all.filter((item) => item.name === fired.name).length;
    for (const waiter of waiters.filter((w) => w.name === fired.name && w.count === count))
      waiter.resolve(fired);
  };
  const nth = (name: string, count: number): Promise<TimerFired> => {
    const existing = all.filter((item) => item.name === name)[count - 1];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => waiters.push({ name, count, resolve }));
  };
  const of = (name: string): TimerFired[] => all.filter((item) => item.name === name);
  return { onFired, nth, of };
}

async function startTimerHost(
  dataDir: string,
  clock: ManualClock,
  onFired: (fired: TimerFired) => void,
  schedule = EVERY_FIVE_MINUTES,
) {
  const { logger, records } = recordingLogger();
  const host = await startFunctionHost({
    appDir: APP_DIR,
    port: 0,
    dataDir,
    logger,
    clock,
    onTimerFired: onFired,
    env: { FIXTURE_TIMER_SCHEDULE: schedule },
  });
  return { host, records };
}

test('a cron timer starts exactly once per slot and skips slots it slept through', async () => {
  const clock = new ManualClock(new Date('2026-12-01T01:58:00Z'));
  const fired = firings();
  const { host, records } = await startTimerHost(tempDir(), clock, fired.onFired);

  clock.set(new Date('2026-12-01T02:00:00Z'));
  assert.equal((await fired.nth('everyFiveMinutes', 1)).scheduled.toISOString(), '2026-12-01T02:00:00.000Z');
  clock.set(new Date('2026-12-01T02:04:59Z'));
  clock.set(new Date('2026-12-01T02:05:00Z'));
  assert.equal((await fired.nth('everyFiveMinutes', 2)).scheduled.toISOString(), '2026-12-01T02:05:00.000Z');
  clock.set(new Date('2026-12-01T02:21:00Z'));
  await fired.nth('everyFiveMinutes', 3);
  await host.close();

  const slots = fired.of('everyFiveMinutes');
  assert.equal(slots.length, 3);
  assert.ok(slots.every((item) => !item.isPastDue));
  const log = records.find(
    (record) => record.event === 'function.log' && record.function === 'everyFiveMinutes',
  );
  const input = JSON.parse(String(log?.message)) as {
    isPastDue: boolean;
    schedule: unknown;
    scheduleStatus: { next: string };
  };
  assert.equal(input.isPastDue, false);
  assert.deepEqual(input.schedule, { adjustForDST: true });
  assert.equal(input.scheduleStatus.next, '2026-12-01T02:00:00.000Z');
});

/** A data folder in which everyFiveMinutes ran for the 02:00 slot and the host then stopped. */
async function folderAfterThe0200Run(): Promise<string> {
  const dataDir = tempDir();
  const fired = firings();
  const clock = new ManualClock(new Date('2026-12-01T01:58:00Z'));
  const running = await startTimerHost(dataDir, clock, fired.onFired);
  clock.set(new Date('2026-12-01T02:00:00Z'));
  await fired.nth('everyFiveMinutes', 1);
  await running.host.close();
  return dataDir;
}

test('after downtime that spans a slot the timer runs once at start with isPastDue', async () => {
  const dataDir = await folderAfterThe0200Run();

  const second = firings();
  const later = new ManualClock(new Date('2026-12-01T03:00:30Z'));
  const restarted = await startTimerHost(dataDir, later, second.onFired);
  const pastDue = await second.nth('everyFiveMinutes', 1);
  await restarted.host.close();

  assert.equal(pastDue.isPastDue, true);
  assert.equal(second.of('everyFiveMinutes').length, 1);
  assert.equal(second.of('unmonitored').length, 0, 'a timer without monitoring is never past due');
  assert.equal(existsSync(join(dataDir, 'timers', 'unmonitored.json')), false);
  const status = JSON.parse(readFileSync(join(dataDir, 'timers', 'everyFiveMinutes.json'), 'utf8')) as {
    Next: string;
  };
  assert.equal(status.Next, '2026-12-01T03:05:00.000Z');
});

test('a restart before the next slot is not past due and does not run the timer again', async () => {
  const dataDir = await folderAfterThe0200Run();

  const second = firings();
  const restarted = await startTimerHost(
    dataDir,
    new ManualClock(new Date('2026-12-01T02:03:00Z')),
    second.onFired,
  );
  await second.nth('onStartup', 1);
  await restarted.host.close();

  assert.equal(second.of('everyFiveMinutes').length, 0);
});

test('runOnStartup runs the timer when the host starts, not past due', async () => {
  const fired = firings();
  const { host } = await startTimerHost(
    tempDir(),
    new ManualClock(new Date('2026-06-01T00:00:00Z')),
    fired.onFired,
  );
  const startup = await fired.nth('onStartup', 1);
  await host.close();

  assert.equal(startup.isPastDue, false);
  assert.equal(fired.of('onStartup').length, 1);
});

test('a TimeSpan schedule fires every interval from the start', async () => {
  const fired = firings();
  const clock = new ManualClock(new Date('2026-06-01T00:00:00Z'));
  const { host } = await startTimerHost(tempDir(), clock, fired.onFired);
  clock.set(new Date('2026-06-01T00:01:30Z'));
  const first = await fired.nth('everyNinetySeconds', 1);
  clock.set(new Date('2026-06-01T00:03:00Z'));
  const second = await fired.nth('everyNinetySeconds', 2);
  await host.close();

  assert.equal(first.scheduled.toISOString(), '2026-06-01T00:01:30.000Z');
  assert.equal(second.scheduled.toISOString(), '2026-06-01T00:03:00.000Z');
});

test('an invalid schedule is logged and that timer is skipped', async () => {
  const fired = firings();
  const { host, records } = await startTimerHost(
    tempDir(),
    new ManualClock(new Date()),
    fired.onFired,
    '*/5 * * * *',
  );
  await host.close();

  assert.deepEqual(host.timers?.timers.map((timer) => timer.name).sort(), [
    'everyNinetySeconds',
    'onStartup',
  ]);
  assert.ok(
    records.some((record) => record.event === 'timer.invalid' && record.function === 'everyFiveMinutes'),
  );
});

test('schedules: NCRONTAB needs six fields, TimeSpans parse, %SETTING% resolves from the environment', () => {
  assert.throws(() => parseSchedule('*/5 * * * *'), { name: 'ScheduleError', message: /has 5 fields/ });
  assert.equal(
    parseSchedule('1.00:00:00').next(new Date('2026-01-01T00:00:00Z')).toISOString(),
    '2026-01-02T00:00:00.000Z',
  );
  assert.equal(
    parseSchedule('0 0 2 1 * *').next(new Date('2026-11-15T00:00:00Z')).toISOString(),
    '2026-12-01T02:00:00.000Z',
  );
  assert.equal(resolveBindingExpression('%A%', { A: '0 * * * * *' }), '0 * * * * *');
  assert.throws(() => resolveBindingExpression('%MISSING%', {}), {
    name: 'ScheduleError',
    message: /MISSING/,
  });
});
