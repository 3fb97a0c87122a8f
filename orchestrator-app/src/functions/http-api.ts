import {
  app,
  type HttpHandler,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { SettingsError } from '../errors.js';
import { logEvent } from '../log.js';
import { problem } from '../http/problem.js';
import { cancelRun, getRun, listRuns, retryFailed, startRun } from '../http/runs-api.js';

type RunsHandler = (
  request: HttpRequest,
  client: DurableClient,
  context: InvocationContext,
) => Promise<HttpResponseInit>;

/** Binds a run API handler to the durable client and turns unexpected errors into problem+json. */
function withClient(name: string, handler: RunsHandler): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, df.getClient(context), context);
    } catch (error) {
      const detail = error instanceof SettingsError ? error.message : 'The run API failed; see the logs.';
      logEvent(context, 'error', 'api.failed', {
        function: name,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return problem(error instanceof SettingsError ? 500 : 503, detail);
    }
  };
}

const durable = { authLevel: 'anonymous' as const, extraInputs: [df.input.durableClient()] };

app.http('runsStart', {
  ...durable,
  methods: ['POST'],
  route: 'runs',
  handler: withClient('runsStart', startRun),
});
app.http('runsList', {
  ...durable,
  methods: ['GET'],
  route: 'runs',
  handler: withClient('runsList', listRuns),
});
app.http('runsGet', {
  ...durable,
  methods: ['GET'],
  route: 'runs/{id}',
  handler: withClient('runsGet', getRun),
});
app.http('runsCancel', {
  ...durable,
  methods: ['POST'],
  route: 'runs/{id}/cancel',
  handler: withClient('runsCancel', cancelRun),
});
app.http('runsRetryFailed', {
  ...durable,
  methods: ['POST'],
  route: 'runs/{id}/retry-failed',
  handler: withClient('runsRetryFailed', retryFailed),
});
