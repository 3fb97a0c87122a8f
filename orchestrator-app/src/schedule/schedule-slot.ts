import { CronExpressionParser, type CronExpression } from 'cron-parser';

import { SettingsError } from '../errors.js';

/** A past-due fire this close to its slot is a late fire, not a missed slot. */
export const PAST_DUE_GRACE_MS = 5 * 60_000;

/** What the timer should do about one fire. */
export type SlotPlan =
  | { action: 'start'; slot: Date; runId: string; period: string; pastDue: boolean }
  | { action: 'skip-missed'; slot: Date; runId: string; period: string };

function parse(schedule: string, currentDate: Date): CronExpression {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new SettingsError(
      'RUN_SCHEDULE',
      `expected a six-field NCRONTAB ("sec min hour day month weekday"), got ${JSON.stringify(schedule)}.`,
    );
  }
  try {
    return CronExpressionParser.parse(schedule, { currentDate, tz: 'UTC' });
  } catch (error) {
    throw new SettingsError('RUN_SCHEDULE', `is not a valid NCRONTAB: ${JSON.stringify(schedule)}.`, {
      cause: error,
    });
  }
}

/** Checks a schedule without using it. */
export function validateSchedule(schedule: string): void {
  parse(schedule, new Date(0));
}

/**
 * The slot a fire at `now` belongs to: the latest occurrence of the schedule at or before `now` (a
 * second of tolerance for a timer that fires a little early). The slot, not the clock, names the run.
 */
export function slotAt(schedule: string, now: Date): Date {
  return parse(schedule, new Date(now.getTime() + 1000))
    .prev()
    .toDate();
}

/** `yyyyMMddTHHmmZ` in UTC, e.g. `20261201T0200Z`. */
export function slotStamp(slot: Date): string {
  const iso = slot.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/** The run id of a scheduled slot: `{job}-{yyyyMMddTHHmmZ}`, e.g. `statements-20261201T0200Z`. */
export function scheduledRunId(job: string, slot: Date): string {
  return `${job}-${slotStamp(slot)}`;
}

/**
 * The period a slot closes: the month (`YYYY-MM`, UTC) in which the interval ending at this slot
 * began, i.e. the month of the schedule's previous occurrence. A monthly slot on 1 December closes
 * November; a nightly slot on 15 December closes December.
 */
export function periodClosedBy(schedule: string, slot: Date): string {
  const previous = parse(schedule, slot).prev().toDate();
  return previous.toISOString().slice(0, 7);
}

/** Options of `planSlot`. */
export interface SlotOptions {
  schedule: string;
  job: string;
  now: Date;
  isPastDue: boolean;
  catchUp: boolean;
  /** The occurrence the host says this fire is for (`scheduleStatus.next`), when it says so. */
  scheduledFor?: Date | undefined;
}

/**
 * Decides what one timer fire does. The slot is the occurrence the host scheduled this fire for when
 * that is known and not in the future, else the latest occurrence at or before `now`. A past-due fire
 * more than `PAST_DUE_GRACE_MS` after its slot is a missed slot: it starts only when catch-up is on.
 */
export function planSlot(options: SlotOptions): SlotPlan {
  const hinted = options.scheduledFor;
  const usable =
    hinted && !Number.isNaN(hinted.getTime()) && hinted.getTime() <= options.now.getTime() + 1000;
  const slot = slotAt(options.schedule, usable ? hinted : options.now);
  const runId = scheduledRunId(options.job, slot);
  const period = periodClosedBy(options.schedule, slot);
  const missed = options.isPastDue && options.now.getTime() - slot.getTime() > PAST_DUE_GRACE_MS;
  if (missed && !options.catchUp) return { action: 'skip-missed', slot, runId, period };
  return { action: 'start', slot, runId, period, pastDue: options.isPastDue };
}
