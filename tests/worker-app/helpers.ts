// Shared fixtures for the worker tests: Easy Auth principals, requests and invocation contexts built
// with @azure/functions' own classes, an env switcher and Azurite.
import { after, before } from 'node:test';

import functions, { type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { type RunningAzurite, startAzurite } from '../../devhost/src/azurite.js';
import { parseEvent, type EventProperties } from '../../worker-app/src/log-events.js';
import { resetRuntime } from '../../worker-app/src/runtime.js';
import { createTables, type Tables } from '../../worker-app/src/store/tables.js';

// NOTE: the library is a bundled CommonJS module whose classes Node's ESM loader cannot name, so
// they come from its default export.
const { HttpRequest: Request, InvocationContext: Context } = functions;

export const CALLER_APP_ID = '11111111-2222-3333-4444-555555555555';
export const CALLER_OBJECT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const ROLE_CLAIM_TYPE = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
export const BASE_URL = 'http://127.0.0.1:7082';

export interface PrincipalOptions {
  roles?: string[];
  appId?: string | null;
  objectId?: string;
  roleType?: string;
  authType?: string;
  extraClaims?: { typ: string; val: string }[];
}

/** The JSON Easy Auth would send for an app calling with a managed-identity token. */
export function principalJson(options: PrincipalOptions = {}): Record<string, unknown> {
  const roleType = options.roleType ?? ROLE_CLAIM_TYPE;
  const claims = [
    { typ: 'aud', val: 'api://batch-worker' },
    { typ: 'iss', val: 'https://login.microsoftonline.com/tenant/v2.0' },
    { typ: 'oid', val: options.objectId ?? CALLER_OBJECT_ID },
    ...(options.appId === null ? [] : [{ typ: 'azp', val: options.appId ?? CALLER_APP_ID }]),
    ...(options.roles ?? ['Worker.Invoke']).map((val) => ({ typ: roleType, val })),
    ...(options.extraClaims ?? []),
  ];
  return { auth_typ: options.authType ?? 'aad', claims, name_typ: 'name', role_typ: roleType };
}

export function encodePrincipal(json: unknown): string {
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64');
}

/** Headers of an authenticated, authorized caller. */
export function authHeaders(options: PrincipalOptions = {}): Record<string, string> {
  return {
    'x-ms-client-principal': encodePrincipal(principalJson(options)),
    'x-ms-client-principal-id': options.objectId ?? CALLER_OBJECT_ID,
    'x-ms-client-principal-idp': 'aad',
  };
}

export interface LoggedEvent {
  level: string;
  event: string;
  properties: EventProperties;
  raw: string;
}

/** An InvocationContext whose log lines are captured and parsed. */
export function testContext(functionName = 'test'): { context: InvocationContext; events: LoggedEvent[] } {
  const events: LoggedEvent[] = [];
  const context = new Context({
    functionName,
    invocationId: `inv-${Math.floor(performance.now() * 1000)}`,
    logHandler: (level, ...args) => {
      const raw = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      const parsed = parseEvent(raw);
      events.push({ level, event: parsed?.event ?? '', properties: parsed?.properties ?? {}, raw });
    },
  });
  return { context, events };
}

/** A GET of any path, e.g. `/api/health`. */
export function getRequest(path: string, headers: Record<string, string> = {}): HttpRequest {
  return new Request({ method: 'GET', url: `${BASE_URL}${path}`, headers });
}

export function listRequest(
  job: string,
  query: Record<string, string> = {},
  headers: Record<string, string> = authHeaders(),
): HttpRequest {
  const search = new URLSearchParams(query).toString();
  return new Request({
    method: 'GET',
    url: `${BASE_URL}/api/jobs/${job}/items${search ? `?${search}` : ''}`,
    headers,
    query,
    params: { job },
  });
}

export function processRequest(
  job: string,
  itemId: string,
  body: unknown,
  headers: Record<string, string>,
): HttpRequest {
  return new Request({
    method: 'POST',
    url: `${BASE_URL}/api/jobs/${job}/items/${itemId}/process`,
    headers: { 'content-type': 'application/json', ...headers },
    body: { string: typeof body === 'string' ? body : JSON.stringify(body) },
    params: { job, itemId },
  });
}

/** Sets worker settings for the next requests (others removed) and drops the cached runtime. */
export function useSettings(settings: Record<string, string>): void {
  for (const name of Object.keys(process.env)) if (name.startsWith('WORKER_')) delete process.env[name];
  Object.assign(process.env, settings);
  resetRuntime();
}

/** The parsed JSON body of a handler's answer. */
export function bodyOf(response: HttpResponseInit): Record<string, unknown> {
  if (typeof response.body !== 'string') throw new TypeError('Expected a string body');
  return JSON.parse(response.body) as Record<string, unknown>;
}

export function headerOf(response: HttpResponseInit, name: string): string | undefined {
  const headers = (response.headers ?? {}) as Record<string, string>;
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return found?.[1];
}

/** A connection string to a loopback port where nothing listens: a store that is down. */
export async function deadStoreConnectionString(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  const key = Buffer.alloc(64, 7).toString('base64');
  return (
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};` +
    `TableEndpoint=http://127.0.0.1:${address.port}/devstoreaccount1;`
  );
}

/** A test file's real Table Storage; `connectionString` is set once the file's first before hook ran. */
export interface TestStore {
  connectionString: string;
  /** New table clients over the store. */
  tables(): Tables;
}

/**
 * Starts one Azurite before the calling test file's first test, then runs `ready`, and stops it after
 * its last test.
 *
 * NOTE: Node 22 runs a file's top-level `before` hooks concurrently, so setup that needs the store
 * goes in `ready` rather than in a hook of its own.
 */
export function useTestStore(ready: (store: TestStore) => void = () => {}): TestStore {
  let azurite: RunningAzurite | undefined;
  const store: TestStore = {
    connectionString: '',
    tables: () => createTables({ kind: 'connectionString', connectionString: store.connectionString }),
  };
  before(async () => {
    azurite = await startAzurite();
    store.connectionString = azurite.connectionString;
    ready(store);
  });
  after(async () => {
    await azurite?.stop();
  });
  return store;
}
