import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { authorize } from '../auth/authorize.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { jsonResponse } from '../http/problem.js';
import { readLimit } from '../http/request-input.js';
import { answer } from '../http/respond.js';
import { logEvent } from '../log-events.js';
import { getRuntime } from '../runtime.js';
import { findJob } from './job-lookup.js';

/**
 * `GET /api/jobs/{job}/items?cursor&limit`: one page of the job's item ids in a stable order, with
 * an opaque `nextCursor` (null on the last page).
 */
export async function listItems(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const ids: Record<string, string | undefined> = { job: request.params.job };
  return await answer(context, ids, async () => {
    const runtime = getRuntime();
    const principal = authorize(request, context, runtime.settings);
    ids.callerAppId = principal.callerAppId;

    const job = findJob(runtime, request.params.job);
    const limit = readLimit(request);
    const after = decodeCursor(request.query.get('cursor'), job.name, (id) => job.isItemId(id));
    const page = await job.listItems(after, limit, context);

    const last = page.ids.at(-1);
    const nextCursor = page.more && last !== undefined ? encodeCursor(job.name, last) : null;
    logEvent(context, 'info', 'items.listed', { ...ids, count: page.ids.length, more: page.more });
    return jsonResponse(200, { job: job.name, items: page.ids.map((id) => ({ id })), nextCursor });
  });
}

app.http('listItems', {
  route: 'jobs/{job}/items',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: listItems,
});
