// Forwards one dashboard API call to an upstream (the management API or the run API), adding the
// credential server-side and scrubbing it from whatever comes back: the management API embeds its
// key in the `*Uri` fields and `Location` headers it returns.
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from '../log.js';
import { sendProblem } from './problem.js';

/** Request headers the browser may pass upstream. */
const FORWARD_REQUEST = ['accept', 'content-type', 'x-ms-continuation-token'];
/** Response headers the browser gets back. */
const FORWARD_RESPONSE = ['content-type', 'x-ms-continuation-token', 'retry-after'];

const MAX_BODY_BYTES = 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 60_000;

export interface UpstreamCall {
  url: string;
  /** Headers carrying the credential, e.g. `x-functions-key` or `authorization`. */
  credentialHeaders: Record<string, string>;
  /** Strings that must never reach the browser (the key, a token). */
  secrets: string[];
  /** Shown in errors and logs, never containing a secret. */
  targetName: string;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RangeError(`Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      out = out.split(form).join('[redacted]');
  }
  return out;
}

export async function forwardToUpstream(
  req: IncomingMessage,
  res: ServerResponse,
  call: UpstreamCall,
  logger: Logger,
): Promise<void> {
  let body: Buffer | undefined;
  try {
    body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
  } catch (error) {
    sendProblem(res, 413, 'Request body too large', error instanceof Error ? error.message : undefined);
    return;
  }

  const headers: Record<string, string> = { ...call.credentialHeaders };
  for (const name of FORWARD_REQUEST) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }

  let upstream: Response;
  try {
    upstream = await fetch(call.url, {
      method: req.method ?? 'GET',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
  } catch (error) {
    const reason =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
    logger.warn('dashboard.upstream_unreachable', { target: call.targetName, reason });
    sendProblem(res, 502, `${call.targetName} unreachable`, redact(reason, call.secrets));
    return;
  }

  const text = redact(await upstream.text(), call.secrets);
  const out: Record<string, string> = { 'cache-control': 'no-store' };
  for (const name of FORWARD_RESPONSE) {
    const value = upstream.headers.get(name);
    if (value !== null) out[name] = redact(value, call.secrets);
  }
  if (upstream.status === 401 || upstream.status === 403) {
    logger.warn('dashboard.upstream_rejected_credential', {
      target: call.targetName,
      status: upstream.status,
    });
  }
  res.writeHead(upstream.status, out);
  res.end(text);
}
