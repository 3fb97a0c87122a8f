// Small real servers on 127.0.0.1 for the orchestrator tests: an App Service managed-identity endpoint
// and a scriptable worker, and the real worker client wired to both.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { parseWorkerSettings } from '../../../orchestrator-app/src/settings.js';
import {
  createTokenProvider,
  sharedManagedIdentityCredential,
} from '../../../orchestrator-app/src/worker/token-provider.js';
import { createWorkerClient, type WorkerClient } from '../../../orchestrator-app/src/worker/worker-client.js';
import { listenOnLoopback } from '../../support/loopback.js';

export interface Loopback {
  url: string;
  close: () => Promise<void>;
}

/** Starts a server on 127.0.0.1 with a free port. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): Promise<Loopback & { server: Server }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return { server, ...(await listenOnLoopback(server)) };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A token shaped like a real JWT (unsigned), so leak checks have something to find. */
export function fakeJwt(subject: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: subject, aud: 'api://batch-worker', roles: ['Worker.Invoke'] })}.c2lnbmF0dXJl`;
}

export const IDENTITY_HEADER = 'test-identity-header';

export interface IdentityEndpoint extends Loopback {
  /** Requests the endpoint answered with a token. */
  requests: Array<{ resource: string | null; clientId: string | null }>;
  token: string;
  /** Holds every answer until this promise resolves (to test time limits). */
  hold?: Promise<void>;
}

/**
 * The App Service managed-identity protocol (`api-version=2019-08-01`, `x-identity-header`), answering
 * a 24-hour token. Sets IDENTITY_ENDPOINT and IDENTITY_HEADER: call before the first credential exists.
 */
export async function startIdentityEndpoint(
  options: { expiresInSeconds?: number } = {},
): Promise<IdentityEndpoint> {
  const endpoint: Partial<IdentityEndpoint> & { requests: IdentityEndpoint['requests'] } = {
    requests: [],
    token: fakeJwt('orchestrator-identity'),
  };
  const server = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (
      req.headers['x-identity-header'] !== IDENTITY_HEADER ||
      url.searchParams.get('api-version') !== '2019-08-01'
    ) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad request"}');
      return;
    }
    if (endpoint.hold) await endpoint.hold;
    endpoint.requests.push({
      resource: url.searchParams.get('resource'),
      clientId: url.searchParams.get('client_id'),
    });
    const expiresOn = Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 86_400);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        access_token: endpoint.token,
        expires_on: String(expiresOn),
        resource: url.searchParams.get('resource'),
        token_type: 'Bearer',
        client_id: url.searchParams.get('client_id') ?? 'system-assigned',
      }),
    );
  });
  process.env.IDENTITY_ENDPOINT = server.url;
  process.env.IDENTITY_HEADER = IDENTITY_HEADER;
  return Object.assign(endpoint, { url: server.url, close: server.close }) as IdentityEndpoint;
}

/** A request the worker stub saw. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type WorkerScript = (
  request: SeenRequest,
  res: ServerResponse,
  req: IncomingMessage,
) => void | Promise<void>;

/** A worker stub: every request it saw, and the script that answers the next ones. */
export interface WorkerStub extends Loopback {
  seen: SeenRequest[];
  script: WorkerScript;
}

/** A worker whose answers a test scripts; records every request. */
export async function startWorkerStub(script: WorkerScript): Promise<WorkerStub> {
  const stub = { seen: [] as SeenRequest[], script };
  const server = await listen(async (req, res) => {
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: await readBody(req),
      at: Date.now(),
    };
    stub.seen.push(seen);
    await stub.script(seen, res, req);
  });
  return Object.assign(stub, { url: server.url, close: server.close });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(status, { 'content-type': type, ...headers }).end(JSON.stringify(body));
}

/**
 * The real worker client against `workerUrl` (scope `api://batch-worker/.default`), with tokens from
 * the process-wide system-assigned credential, so from startIdentityEndpoint's endpoint; `env` adds
 * worker settings.
 */
export function loopbackWorkerClient(workerUrl: string, env: Record<string, string> = {}): WorkerClient {
  const settings = parseWorkerSettings({
    WORKER_BASE_URL: workerUrl,
    WORKER_SCOPE: 'api://batch-worker/.default',
    ...env,
  });
  const tokens = createTokenProvider(
    sharedManagedIdentityCredential(undefined),
    settings.scope,
    settings.tokenTimeoutMs,
  );
  return createWorkerClient({ settings, tokens });
}
