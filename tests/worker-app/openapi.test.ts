import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

import { health } from '../../worker-app/src/functions/health.js';
import { listItems } from '../../worker-app/src/functions/list-items.js';
import { processItem } from '../../worker-app/src/functions/process-item.js';
import {
  CALLER_APP_ID,
  authHeaders,
  bodyOf,
  deadStoreConnectionString,
  getRequest,
  listRequest,
  processRequest,
  testContext,
  useSettings,
  useTestStore,
} from './helpers.js';

type Json = Record<string, unknown>;
type Operation = 'health' | 'listItems' | 'processItem';
const OPERATIONS: Record<Operation, { path: string; method: string }> = {
  health: { path: '/api/health', method: 'get' },
  listItems: { path: '/api/jobs/{job}/items', method: 'get' },
  processItem: { path: '/api/jobs/{job}/items/{itemId}/process', method: 'post' },
};

const doc = parse(readFileSync(join(import.meta.dirname, '../../worker-app/openapi.yaml'), 'utf8')) as Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)) && value.includes('T'));
ajv.addSchema({ ...doc, $id: 'openapi' });

function resolve(node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((at, key) => at[key] as Json, doc);
}

function documentedResponse(operation: Operation, status: number): Json | undefined {
  const { path, method } = OPERATIONS[operation];
  const responses = ((doc.paths as Json)[path] as Json)[method] as Json;
  const response = (responses.responses as Json)[String(status)] as Json | undefined;
  return response ? resolve(response) : undefined;
}

function validate(pointer: string, value: unknown): string[] {
  const check = ajv.getSchema(`openapi#${pointer}`);
  assert.ok(check, `no schema at ${pointer}`);
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** Checks one real answer against the document and records its status as covered. */
function conforms(operation: Operation, response: HttpResponseInit): void {
  const status = response.status ?? 200;
  const documented = documentedResponse(operation, status);
  assert.ok(documented, `${operation} answered ${status}, which the document does not describe`);
  covered.add(`${operation} ${status}`);

  const headers = new Map(
    Object.entries((response.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const [mediaType, media] = Object.entries(documented.content as Json)[0] as [string, Json];
  assert.equal(headers.get('content-type'), mediaType);
  const body: unknown = bodyOf(response);
  const schemaRef = (media.schema as Json).$ref as string;
  assert.deepEqual(validate(schemaRef.slice(1), body), [], `${operation} ${status} body`);

  for (const [name, header] of Object.entries((documented.headers ?? {}) as Json)) {
    const spec = resolve(header as Json);
    const value = headers.get(name.toLowerCase());
    if (value === undefined) {
      assert.ok(!spec.required, `${operation} ${status} lacks the required header ${name}`);
      continue;
    }
    assert.ok(ajv.validate(spec.schema as Json, value), `${operation} ${status} header ${name}=${value}`);
  }
}

const covered = new Set<string>();
const store = useTestStore();

async function run(
  operation: Operation,
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const response = await handler(request, testContext().context);
  conforms(operation, response);
  return response;
}

function post(
  itemId: string,
  body: unknown,
  key: string | null = 'k',
  job = 'statements',
  headers = authHeaders(),
) {
  return processRequest(job, itemId, body, {
    ...headers,
    ...(key === null ? {} : { 'idempotency-key': key }),
  });
}

describe('worker-app/openapi.yaml', () => {
  test('is an OpenAPI 3.1 document whose schemas compile', () => {
    assert.equal(doc.openapi, '3.1.0');
    for (const name of Object.keys((doc.components as Json).schemas as Json)) {
      assert.ok(ajv.getSchema(`openapi#/components/schemas/${name}`), name);
    }
    assert.notDeepEqual(validate('/components/schemas/ProcessResponse', { job: 'statements' }), []);
    assert.notDeepEqual(validate('/components/schemas/Problem', { type: 'about:blank', status: 400 }), []);
  });

  test('describes every answer of the handlers, headers included', async () => {
    const settings = {
      WORKER_STORAGE: store.connectionString,
      WORKER_ALLOWED_CALLERS: CALLER_APP_ID,
      WORKER_DEMO_ACCOUNTS: '3',
      WORKER_BENCH_ENABLED: 'true',
    };
    useSettings(settings);
    await run('health', health, getRequest('/api/health'));

    await run('listItems', listItems, listRequest('statements', { limit: '2' }));
    await run('listItems', listItems, listRequest('bench', { limit: '1000' }));
    await run('listItems', listItems, listRequest('statements', { cursor: 'nope!' }));
    await run('listItems', listItems, listRequest('statements', {}, {}));
    await run('listItems', listItems, listRequest('statements', {}, authHeaders({ roles: [] })));
    await run('listItems', listItems, listRequest('invoices'));

    const body = { runId: 'run-oa', period: '2026-11' };
    await run('processItem', processItem, post('acct-000001', body, 'oa-1'));
    const replay = await run('processItem', processItem, post('acct-000001', body, 'oa-1'));
    assert.equal((replay.headers as Record<string, string>)['Idempotent-Replayed'], 'true');
    await run('processItem', processItem, post('b-000001', body, 'oa-b', 'bench'));
    await run('processItem', processItem, post('acct-000001', body, null));
    await run('processItem', processItem, post('acct-000001', '{', 'oa-2'));
    await run('processItem', processItem, post('acct-000001', body, 'oa-3', 'statements', {}));
    await run(
      'processItem',
      processItem,
      post('acct-000001', body, 'oa-4', 'statements', authHeaders({ appId: 'x' })),
    );
    await run('processItem', processItem, post('acct-000009', body, 'oa-5'));
    await run(
      'processItem',
      processItem,
      post('acct-000001', { runId: 'run-oa', period: '2026-13' }, 'oa-6'),
    );
    await run('processItem', processItem, post('acct-000002', body, 'oa-1'));

    useSettings({ ...settings, WORKER_MAX_CONCURRENT: '1', WORKER_BENCH_LATENCY_MS: '50' });
    const holding = processItem(post('b-000001', body, 'oa-7', 'bench'), testContext().context);
    await run('processItem', processItem, post('b-000002', body, 'oa-8', 'bench'));
    conforms('processItem', await holding);

    useSettings({ ...settings, WORKER_STORAGE: await deadStoreConnectionString() });
    await run('listItems', listItems, listRequest('statements'));
    await run('processItem', processItem, post('acct-000001', body, 'oa-9'));

    useSettings({ ...settings, WORKER_DEMO_ACCOUNTS: 'many' });
    await run('listItems', listItems, listRequest('statements'));
    await run('processItem', processItem, post('acct-000001', body, 'oa-10'));
  });

  test('has no documented answer that the handlers were not seen to give', () => {
    const documented = Object.entries(OPERATIONS).flatMap(([operation, { path, method }]) => {
      const responses = (((doc.paths as Json)[path] as Json)[method] as Json).responses as Json;
      return Object.keys(responses).map((status) => `${operation} ${status}`);
    });
    assert.deepEqual(documented.filter((key) => !covered.has(key)).sort(), []);
  });

  test('accepts the request bodies the handler accepts and refuses those it refuses', () => {
    const schema = '/components/schemas/ProcessRequest';
    assert.deepEqual(validate(schema, { runId: 'run-1', period: '2026-11' }), []);
    for (const bad of [
      { runId: 'run-1' },
      { period: '2026-11' },
      { runId: 'a b', period: '2026-11' },
      { runId: 'r', period: '2026-13' },
    ]) {
      assert.notDeepEqual(validate(schema, bad), [], JSON.stringify(bad));
    }
  });
});
