// Timer trigger schedules: NCRONTAB with seconds (`0 */5 * * * *`) or a TimeSpan (`00:05:00`).
import { CronExpressionParser } from 'cron-parser';

export interface TimerSchedule {
  expression: string;
  kind: 'cron' | 'timespan';
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

/** The schedule text is not a valid NCRONTAB or TimeSpan, or names a missing setting. */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/;

/** Replaces `%NAME%` binding expressions with app settings, as the host does for trigger properties. */
export function resolveBindingExpression(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/%([^%]+)%/g, (_match, name: string) => {
    const setting = env[name];
    if (setting === undefined) {
      throw new ScheduleError(
        `The binding expression %${name}% names an app setting that is not set; add ${name} to local.settings.json or the environment.`,
      );
    }
    return setting;
  });
}

export function parseSchedule(expression: string): TimerSchedule {
  const text = expression.trim();
  const span = TIMESPAN.exec(text);
  if (span) {
    const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = span;
    const ms = (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
    if (ms <= 0) throw new ScheduleError(`The TimeSpan schedule "${expression}" must be longer than zero.`);
    return { expression: text, kind: 'timespan', next: (after) => new Date(after.getTime() + ms) };
  }

  const fields = text.split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleError(
      `The schedule "${expression}" has ${fields.length} fields; NCRONTAB needs 6 ({second} {minute} {hour} {day} {month} {day-of-week}) or use a TimeSpan such as 00:05:00.`,
    );
  }
  try {
    CronExpressionParser.parse(text, { tz: 'UTC' });
  } catch (err) {
    throw new ScheduleError(`The schedule "${expression}" is not a valid NCRONTAB expression.`, {
      cause: err,
    });
  }
  return {
    expression: text,
    kind: 'cron',
    next: (after) => CronExpressionParser.parse(text, { currentDate: after, tz: 'UTC' }).next().toDate(),
  };
}
