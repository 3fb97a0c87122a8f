import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { importJWK, type JWTPayload, SignJWT } from 'jose';

import {
  buildLocalPolicy,
  type EasyAuthProxy,
  type ProtectedApp,
  startEasyAuthProxy,
} from '../../../devhost/src/easyauth/index.js';
import { readClientSecret } from '../../../devhost/src/identity/index.js';
import { listenOnLoopback } from '../../support/loopback.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { registrations, startTestIdentity } from '../identity/helpers.js';

/** One request as the app behind the proxy received it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

/** A real app stand-in on loopback that records what reaches it. */
export interface Upstream {
  url: string;
  seen: SeenRequest[];
  server: Server;
  close(): Promise<void>;
}

export async function startUpstream(
  respond: (req: SeenRequest, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  },
): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
      };
      seen.push(record);
      respond(record, res);
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, seen, server, close };
}

export interface Harness {
  app: ProtectedApp;
  identity: Awaited<ReturnType<typeof startTestIdentity>>['identity'];
  proxy: EasyAuthProxy;
  upstream: Upstream;
  records: Awaited<ReturnType<typeof startTestIdentity>>['records'];
  /** Real tokens from the local issuer: the managed identity's and the operator's. */
  miToken(resource: 'worker' | 'orchestratorApi'): Promise<string>;
  operatorToken(resource: 'worker' | 'orchestratorApi'): Promise<string>;
  /** A token signed with the issuer's real current key, with these claims over valid defaults. */
  forge(claims: JWTPayload, options?: { omit?: string[] }): Promise<string>;
  close(): Promise<void>;
}

/** Identity server, a recording upstream and the app's Easy Auth proxy, all on loopback. */
export async function startHarness(
  app: ProtectedApp,
  proxyOptions: {
    clockSkewSeconds?: number;
    maxHeaderBytes?: number;
    now?: () => number;
    /** Changes the built local policy before the proxy starts. */
    changePolicy?: (doc: Record<string, unknown>) => void;
  } = {},
): Promise<Harness> {
  const started = await startTestIdentity();
  const { identity, dataDir } = started;
  const { logger, records } = recordingLogger();
  const upstream = await startUpstream();
  const policy = buildLocalPolicy(app, registrations, identity.url);
  proxyOptions.changePolicy?.(policy);
  const proxy = await startEasyAuthProxy({
    port: 0,
    target: upstream.url,
    policy,
    logger,
    jwksCooldownMs: 0,
    ...(proxyOptions.clockSkewSeconds === undefined
      ? {}
      : { clockSkewSeconds: proxyOptions.clockSkewSeconds }),
    ...(proxyOptions.maxHeaderBytes === undefined ? {} : { maxHeaderBytes: proxyOptions.maxHeaderBytes }),
    ...(proxyOptions.now === undefined ? {} : { now: proxyOptions.now }),
  });
  const api = app === 'worker' ? registrations.worker : registrations.orchestratorApi;
  const caller = app === 'worker' ? registrations.orchestratorIdentity : registrations.operator;
  const secret = await readClientSecret(dataDir, registrations.operator.clientId);

  return {
    app,
    identity,
    proxy,
    upstream,
    records,
    async miToken(resource) {
      const query = new URLSearchParams({
        'api-version': '2019-08-01',
        resource: registrations[resource].identifierUri,
      });
      const response = await fetch(`${identity.managedIdentity.endpoint}?${query.toString()}`, {
        headers: { 'x-identity-header': identity.managedIdentity.header },
      });
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async operatorToken(resource) {
      const response = await fetch(identity.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: registrations.operator.clientId,
          client_secret: secret,
          scope: `${registrations[resource].identifierUri}/.default`,
        }).toString(),
      });
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async forge(claims, options = {}) {
      const stored = JSON.parse(await readFile(join(dataDir, 'identity', 'keys.json'), 'utf8')) as {
        keys: { kid: string; privateJwk: Record<string, string> }[];
      };
      const current = stored.keys[0]!;
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        aud: api.clientId,
        iss: identity.issuer,
        azp: caller.clientId,
        oid: caller.objectId,
        sub: caller.objectId,
        tid: registrations.tenantId,
        iat: now,
        nbf: now,
        exp: now + 3600,
        ver: '2.0',
        ...claims,
      };
      for (const name of options.omit ?? []) delete payload[name];
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: current.kid })
        .sign(await importJWK(current.privateJwk, 'RS256'));
    },
    async close() {
      await proxy.close();
      await upstream.close();
      await started.stop();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Sends exactly these header lines (duplicates kept), which fetch would merge. */
export function rawRequest(
  base: string,
  path: string,
  headers: [string, string][],
  options: { method?: string; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        // An array of header lines is sent as is: Node adds no Host then.
        headers: [['Host', url.host], ...headers].flat(),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Decodes the injected `X-MS-CLIENT-PRINCIPAL` header. */
export function decodePrincipal(value: string | string[] | undefined): {
  auth_typ: string;
  claims: { typ: string; val: string }[];
  name_typ: string;
  role_typ: string;
} {
  if (typeof value !== 'string')
    throw new Error(`expected one X-MS-CLIENT-PRINCIPAL header, got ${String(value)}`);
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as ReturnType<typeof decodePrincipal>;
}
