import { type Agent, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';

import type { Logger } from '../log.js';
import { isReservedHeader } from './principal.js';

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);
const SET_BY_PROXY = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']);

export interface ForwardOptions {
  target: URL;
  agent: Agent;
  /** Headers to add, e.g. the client principal. */
  inject: Record<string, string>;
  logger: Logger;
  onUpstreamError: (error: Error) => void;
}

/**
 * Sends the request on to the app unchanged except for hop-by-hop headers, the reserved principal
 * headers (always dropped from the client's), the injected ones and `X-Forwarded-*`; streams both bodies.
 */
export function forward(req: IncomingMessage, res: ServerResponse, options: ForwardOptions): void {
  const headers: [string, string][] = [];
  const raw = req.rawHeaders;
  const listed = connectionListed(req.headers.connection);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower) || SET_BY_PROXY.has(lower) || isReservedHeader(lower))
      continue;
    headers.push([name, raw[i + 1] ?? '']);
  }
  for (const [name, value] of Object.entries(options.inject)) headers.push([name, value]);
  const priorFor = req.headersDistinct['x-forwarded-for']?.join(', ');
  const remote = req.socket.remoteAddress ?? '';
  headers.push(['X-Forwarded-For', priorFor ? `${priorFor}, ${remote}` : remote]);
  headers.push(['X-Forwarded-Proto', 'http']);
  headers.push(['X-Forwarded-Host', req.headers.host ?? '']);

  const upstream = request({
    host: options.target.hostname,
    port: options.target.port,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers: headers.flat(),
    agent: options.agent,
  });
  upstream.on('response', (answer) => {
    const back: string[] = [];
    const answerListed = connectionListed(answer.headers.connection);
    for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
      const name = answer.rawHeaders[i] ?? '';
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || answerListed.has(lower) || lower === 'transfer-encoding') continue;
      back.push(name, answer.rawHeaders[i + 1] ?? '');
    }
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, back);
    pipeline(answer, res, (error) => {
      if (error) options.logger.debug('easyauth.response_aborted', { reason: error.message });
    });
  });
  pipeline(req, upstream, (error) => {
    if (!error) return;
    if (res.headersSent) res.destroy();
    else options.onUpstreamError(error);
  });
}

function connectionListed(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}
