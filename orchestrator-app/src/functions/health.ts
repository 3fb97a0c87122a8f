import { app } from '@azure/functions';

import { SettingsError } from '../errors.js';
import { problem } from '../http/problem.js';
import { logEvent } from '../log.js';
import { validateSchedule } from '../schedule/schedule-slot.js';
import { failureStorageSettings, runSettings, workerSettings } from '../settings.js';

/** Validates every setting group once; throws the first `SettingsError`. */
export function validateSettings(): void {
  workerSettings();
  failureStorageSettings();
  validateSchedule(runSettings().schedule);
}

app.http('health', {
  authLevel: 'anonymous',
  methods: ['GET'],
  route: 'health',
  handler: (_request, context) => {
    try {
      validateSettings();
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      logEvent(context, 'error', 'settings.invalid', { setting: error.setting, message: error.message });
      return Promise.resolve(
        problem(503, `Setting ${error.setting} is missing or invalid; see the logs.`, {
          setting: error.setting,
        }),
      );
    }
    return Promise.resolve({
      status: 200,
      headers: { 'cache-control': 'no-store' },
      jsonBody: { status: 'ok' },
    });
  },
});
