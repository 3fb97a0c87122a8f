import { randomUUID } from 'node:crypto';

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type {
  DurableClient,
  DurableOrchestrationStatus,
  OrchestrationRuntimeStatus,
} from 'durable-functions';

import { logEvent } from '../log.js';
import type { RunInput, RunTrigger } from '../orchestrations/run-model.js';
import { failureStore } from '../services.js';
import { runSettings } from '../settings.js';
import { authorize } from './principal.js';
import { invalidField, json, problem } from './problem.js';
import { isFinished, RUN_ORCHESTRATOR, RUNTIME_STATUSES, toRunDocument } from './run-document.js';
import {
  encodeContinuation,
  listFilterKey,
  MAX_ITEM_IDS,
  parseIdempotencyKey,
  parseListRuns,
  parseStartRun,
  requestHash,
  RUN_ID,
  runIdForKey,
  type StartRunRequest,
} from './run-request.js';

const readRoles = (): string[] => [runSettings().readRole, runSettings().operateRole];
const operateRoles = (): string[] => [runSettings().operateRole];
const location = (id: string): string => `/api/runs/${encodeURIComponent(id)}`;

/** Reads a run, or undefined when no run has that id. */
export async function findRun(
  client: DurableClient,
  id: string,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    const status = await client.getStatus(id, { showInput: true });
    return status.name === RUN_ORCHESTRATOR ? status : undefined;
  } catch (error) {
    if (error instanceof Error && /HTTP 404/.test(error.message)) return undefined;
    throw error;
  }
}

/**
 * Starts a run under a fixed id. When a concurrent request or timer fire started the same id first,
 * resolves with that run's status instead of failing; undefined means this call started it.
 */
export async function startRunOnce(
  client: DurableClient,
  input: RunInput,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    await client.startNew(RUN_ORCHESTRATOR, { instanceId: input.runId, input });
    return undefined;
  } catch (error) {
    const existing = await findRun(client, input.runId);
    if (existing) return existing;
    throw error;
  }
}

/** The orchestration input of a new run, with the run settings as defaults. */
export function newRunInput(
  runId: string,
  request: StartRunRequest,
  trigger: RunTrigger,
  extra: Partial<RunInput> = {},
): RunInput {
  const settings = runSettings();
  return {
    runId,
    job: request.job,
    period: request.period,
    trigger,
    maxParallel: request.maxParallel,
    chunkSize: request.chunkSize,
    chunksInFlight: settings.chunksInFlight,
    pagesPerGeneration: settings.pagesPerGeneration,
    throttleMaxWaits: settings.throttleMaxWaits,
    ...(request.itemIds ? { itemIds: request.itemIds } : {}),
    ...extra,
  };
}

function pendingDocument(input: RunInput, now: Date): ReturnType<typeof toRunDocument> {
  return toRunDocument({
    name: RUN_ORCHESTRATOR,
    instanceId: input.runId,
    createdTime: now,
    lastUpdatedTime: now,
    input,
    output: null,
    runtimeStatus: 'Pending' as OrchestrationRuntimeStatus,
  });
}

/** A run id for a new run: derived from the `Idempotency-Key` when there is one, else random. */
function newRunId(idempotencyKey: string | undefined): string {
  return idempotencyKey ? runIdForKey(idempotencyKey) : `run-${randomUUID()}`;
}

/**
 * Starts `input` and answers 202 with the pending run, logging `event` with `props`; when a concurrent
 * request started the same run id first, answers 200 with that run instead.
 */
async function startAndAnswer(
  client: DurableClient,
  input: RunInput,
  context: InvocationContext,
  event: string,
  props: Record<string, unknown>,
): Promise<HttpResponseInit> {
  const headers = { location: location(input.runId) };
  const raced = await startRunOnce(client, input);
  if (raced) return json(200, toRunDocument(raced), headers);
  logEvent(context, 'info', event, props);
  return json(202, pendingDocument(input, new Date()), headers);
}

async function readJson(request: HttpRequest): Promise<{ ok: true; body: unknown } | { ok: false }> {
  const text = await request.text();
  if (!text.trim()) return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** `POST /api/runs`: starts a run; the same `Idempotency-Key` answers 200 with the run it started. */
export async function startRun(
  request: HttpRequest,
  client: DurableClient,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const auth = authorize(request, operateRoles());
  if (!auth.ok) return auth.response;

  const key = parseIdempotencyKey(request.headers.get('idempotency-key'));
  if (!key.ok) return invalidField(key.error.field, key.error.detail);
  const body = await readJson(request);
  if (!body.ok) return invalidField('body', 'The body is not valid JSON.');
  const parsed = parseStartRun(body.body, runSettings(), new Date());
  if (!parsed.ok) return invalidField(parsed.error.field, parsed.error.detail);

  const hash = requestHash(parsed.value);
  const runId = newRunId(key.value);
  if (key.value) {
    const existing = await findRun(client, runId);
    if (existing) {
      if ((existing.input as Partial<RunInput> | null)?.requestHash !== hash) {
        return problem(422, 'This Idempotency-Key was used for a different request.', {
          field: 'Idempotency-Key',
        });
      }
      return json(200, toRunDocument(existing), { location: location(runId) });
    }
  }

  const input = newRunInput(runId, parsed.value, 'api', { requestHash: hash });
  return startAndAnswer(client, input, context, 'run.requested', {
    runId,
    job: input.job,
    period: input.period,
    caller: auth.principal.appId ?? auth.principal.objectId ?? null,
  });
}

/** `GET /api/runs/{id}`. */
export async function getRun(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const auth = authorize(request, readRoles());
  if (!auth.ok) return auth.response;
  const id = request.params.id ?? '';
  if (!RUN_ID.test(id)) return invalidField('id', 'id is not a valid run id.');
  const status = await findRun(client, id);
  if (!status) return problem(404, `No run ${id}.`);
  return json(200, toRunDocument(status));
}

/** `GET /api/runs?status&from&to&top&continuationToken`: newest first. */
export async function listRuns(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const auth = authorize(request, readRoles());
  if (!auth.ok) return auth.response;
  const parsed = parseListRuns(request.query);
  if (!parsed.ok) return invalidField(parsed.error.field, parsed.error.detail);
  const { statuses, from, to, top, offset } = parsed.value;

  // TODO(orchestrator-app): getStatusBy follows every continuation token of the durable store, so each
  // page reads all runs matching the filter; acceptable for the run counts of a scheduled batch app.
  const runtimeStatus = statuses?.flatMap((s) => RUNTIME_STATUSES[s]) as
    OrchestrationRuntimeStatus[] | undefined;
  const all = await client.getStatusBy({
    ...(from ? { createdTimeFrom: from } : {}),
    ...(to ? { createdTimeTo: to } : {}),
    ...(runtimeStatus ? { runtimeStatus } : {}),
  });
  const runs = all
    .filter((s) => s.name === RUN_ORCHESTRATOR)
    .sort(
      (a, b) =>
        new Date(b.createdTime).getTime() - new Date(a.createdTime).getTime() ||
        a.instanceId.localeCompare(b.instanceId),
    );
  const page = runs.slice(offset, offset + top).map(toRunDocument);
  const next =
    offset + top < runs.length ? encodeContinuation(offset + top, listFilterKey(statuses, from, to)) : null;
  return json(200, { runs: page, continuationToken: next }, next ? { 'x-ms-continuation-token': next } : {});
}

/** `POST /api/runs/{id}/cancel`: terminates a run that has not finished. */
export async function cancelRun(
  request: HttpRequest,
  client: DurableClient,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const auth = authorize(request, operateRoles());
  if (!auth.ok) return auth.response;
  const id = request.params.id ?? '';
  if (!RUN_ID.test(id)) return invalidField('id', 'id is not a valid run id.');
  const status = await findRun(client, id);
  if (!status) return problem(404, `No run ${id}.`);
  const document = toRunDocument(status);
  if (isFinished(document.status))
    return problem(409, `Run ${id} has already finished (${document.status}).`, {
      runStatus: document.status,
    });

  await client.terminate(id, 'Cancelled through the run API.');
  logEvent(context, 'info', 'run.cancel-requested', { runId: id });
  return json(202, { ...document, status: 'cancelling' }, { location: location(id) });
}

/** `POST /api/runs/{id}/retry-failed`: a new run over exactly the failed (and skipped) items of a finished run. */
export async function retryFailed(
  request: HttpRequest,
  client: DurableClient,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const auth = authorize(request, operateRoles());
  if (!auth.ok) return auth.response;
  const id = request.params.id ?? '';
  if (!RUN_ID.test(id)) return invalidField('id', 'id is not a valid run id.');
  const key = parseIdempotencyKey(request.headers.get('idempotency-key'));
  if (!key.ok) return invalidField(key.error.field, key.error.detail);
  const status = await findRun(client, id);
  if (!status) return problem(404, `No run ${id}.`);
  const source = toRunDocument(status);
  if (!isFinished(source.status))
    return problem(409, `Run ${id} has not finished (${source.status}).`, { runStatus: source.status });

  const runId = newRunId(key.value);
  if (key.value) {
    const existing = await findRun(client, runId);
    if (existing) return json(200, toRunDocument(existing), { location: location(runId) });
  }
  const itemIds = [...new Set((await failureStore().read(id)).map((f) => f.itemId))];
  if (itemIds.length === 0) return problem(409, `Run ${id} has no failed items.`);
  if (itemIds.length > MAX_ITEM_IDS)
    return problem(409, `Run ${id} has ${itemIds.length} failed items; start a new run instead.`);

  const sourceInput = status.input as Partial<RunInput>;
  const request_: StartRunRequest = {
    job: source.job ?? '',
    period: source.period ?? '',
    itemIds,
    maxParallel: sourceInput.maxParallel ?? runSettings().maxParallel,
    chunkSize: sourceInput.chunkSize ?? runSettings().chunkSize,
  };
  const input = newRunInput(runId, request_, 'retry', { retryOf: id });
  return startAndAnswer(client, input, context, 'run.retry-requested', {
    runId,
    retryOf: id,
    items: itemIds.length,
  });
}
