import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { jsonResponse } from '../http/problem.js';

/** `GET /api/health`: liveness only; anonymous and excluded from Easy Auth, so it reveals nothing. */
export function health(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  return Promise.resolve(jsonResponse(200, { status: 'ok' }));
}

app.http('health', { route: 'health', methods: ['GET'], authLevel: 'anonymous', handler: health });
