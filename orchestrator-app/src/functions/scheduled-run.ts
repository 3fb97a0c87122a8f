import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { findRun, newRunInput, startRunOnce } from '../http/runs-api.js';
import { isFinished, toRunDocument } from '../http/run-document.js';
import { logEvent } from '../log.js';
import { planSlot } from '../schedule/schedule-slot.js';
import { runSettings } from '../settings.js';

/**
 * One timer fire: starts the run of the slot unless that run exists (pending or running: skipped;
 * finished: never restarted) or the slot was missed and `RUN_CATCH_UP` is off.
 */
export async function handleScheduledRun(
  timer: Timer,
  client: DurableClient,
  context: InvocationContext,
  now: Date,
): Promise<string> {
  const settings = runSettings();
  const next = timer.scheduleStatus?.next ? new Date(timer.scheduleStatus.next) : undefined;
  const plan = planSlot({
    schedule: settings.schedule,
    job: settings.job,
    now,
    isPastDue: timer.isPastDue,
    catchUp: settings.catchUp,
    scheduledFor: next,
  });
  const props = {
    runId: plan.runId,
    slot: plan.slot.toISOString(),
    period: plan.period,
    isPastDue: timer.isPastDue,
  };
  if (timer.isPastDue)
    logEvent(context, 'warn', 'schedule.past-due', { ...props, catchUp: settings.catchUp });
  if (plan.action === 'skip-missed') {
    logEvent(context, 'warn', 'schedule.missed-slot-skipped', props);
    return 'skipped-missed';
  }

  const existing = await findRun(client, plan.runId);
  if (existing) {
    const status = toRunDocument(existing).status;
    const event = isFinished(status) ? 'schedule.slot-finished' : 'schedule.slot-running';
    logEvent(context, 'info', event, { ...props, status });
    return isFinished(status) ? 'skipped-finished' : 'skipped-running';
  }

  const input = newRunInput(
    plan.runId,
    {
      job: settings.job,
      period: plan.period,
      itemIds: undefined,
      maxParallel: settings.maxParallel,
      chunkSize: settings.chunkSize,
    },
    'schedule',
  );
  const raced = await startRunOnce(client, input);
  if (raced) {
    logEvent(context, 'info', 'schedule.slot-running', { ...props, status: toRunDocument(raced).status });
    return 'skipped-running';
  }
  logEvent(context, 'info', 'schedule.run-started', props);
  return 'started';
}

app.timer('scheduledRun', {
  schedule: '%RUN_SCHEDULE%',
  extraInputs: [df.input.durableClient()],
  handler: async (timer, context) => {
    await handleScheduledRun(timer, df.getClient(context), context, new Date());
  },
});
