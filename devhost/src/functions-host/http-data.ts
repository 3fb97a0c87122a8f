// Converts between Node's HTTP messages and the RPC typed data the library reads and writes.
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { RpcTypedData } from '../contracts.js';
import { BodyTooLargeError, readBody as readWholeBody } from '../http-util.js';

/** Reads the whole body, refusing more than `limitBytes` (a larger declared length before reading). */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  return readWholeBody(req, limitBytes);
}

/** Request headers as one string per name (lower-case names; repeated values joined). */
export function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  }
  return headers;
}

/** `{http: {...}}` as the host sends it for an HTTP trigger. */
export function toRpcHttpRequest(options: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  params: Record<string, string>;
  body: Buffer;
}): RpcTypedData {
  const query: Record<string, string> = {};
  for (const key of new Set(options.url.searchParams.keys())) {
    query[key] = options.url.searchParams.getAll(key).join(',');
  }
  const hasBody = options.body.length > 0 && !['GET', 'HEAD'].includes(options.method);
  return {
    http: {
      method: options.method,
      url: options.url.toString(),
      headers: options.headers,
      query,
      params: options.params,
      ...(hasBody ? { body: { bytes: new Uint8Array(options.body) } } : {}),
    },
  };
}

interface NullableValue<T> {
  value?: T | null;
}

interface RpcCookie {
  name?: string;
  value?: string;
  domain?: NullableValue<string>;
  path?: NullableValue<string>;
  expires?: NullableValue<{ seconds?: number; nanos?: number }>;
  secure?: NullableValue<boolean>;
  httpOnly?: NullableValue<boolean>;
  sameSite?: string;
  maxAge?: NullableValue<number>;
}

interface RpcHttpResponse {
  statusCode?: string;
  headers?: Record<string, string>;
  cookies?: RpcCookie[];
  body?: RpcTypedData | null;
}

function cookieHeader(cookie: RpcCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (seconds !== undefined) parts.push(`Expires=${new Date(seconds * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined && cookie.maxAge.value !== null)
    parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None' }[cookie.sameSite ?? ''];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}

function bodyBytes(body: RpcTypedData | null | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes);
  if (body.stream) return Buffer.from(body.stream);
  if (typeof body.string === 'string') return Buffer.from(body.string);
  if (typeof body.json === 'string') return Buffer.from(body.json);
  if (typeof body.int === 'number' || typeof body.double === 'number')
    return Buffer.from(String(body.int ?? body.double));
  return Buffer.alloc(0);
}

/** Writes the `{http}` typed data a function returned; no value at all answers 204 like the host. */
export function writeRpcHttpResponse(
  res: ServerResponse,
  data: RpcTypedData | undefined,
  method: string,
): void {
  const http = data?.http as RpcHttpResponse | undefined;
  if (!http) {
    res.writeHead(204).end();
    return;
  }
  const status = Number(http.statusCode ?? 200) || 200;
  for (const [name, value] of Object.entries(http.headers ?? {})) res.setHeader(name, value);
  const cookies = (http.cookies ?? []).map(cookieHeader);
  if (cookies.length > 0) {
    const set = res.getHeader('set-cookie');
    const existing = set === undefined ? [] : Array.isArray(set) ? set : [String(set)];
    res.setHeader('set-cookie', [...existing, ...cookies]);
  }
  const body = bodyBytes(http.body);
  const noBody = method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
  if (!noBody && !res.hasHeader('content-length')) res.setHeader('content-length', body.length);
  res.writeHead(status);
  res.end(noBody ? undefined : body);
}
