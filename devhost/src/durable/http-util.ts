// Small HTTP helpers for the durable APIs.
import type { ServerResponse } from 'node:http';

import { sendJson } from '../http-util.js';
import { RUNTIME_STATUSES, type RuntimeStatus } from './types.js';

/** RFC 9457 problem details. */
export function sendProblem(res: ServerResponse, status: number, title: string, detail: string): void {
  sendJson(
    res,
    status,
    { type: 'about:blank', title, status, detail },
    { 'content-type': 'application/problem+json; charset=utf-8' },
  );
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

/** A boolean query flag: absent gives `fallback`; `true`/`false` in any case. */
export function flag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  return value.toLowerCase() === 'true';
}

/** A time query parameter as epoch ms; undefined when absent, NaN when malformed. */
export function timeParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  return Date.parse(value);
}

/** `runtimeStatus=a,b` as statuses (any case); undefined when one is unknown. */
export function parseStatuses(text: string | null): RuntimeStatus[] | undefined {
  if (!text) return [];
  const out: RuntimeStatus[] = [];
  for (const part of text.split(',')) {
    const name = RUNTIME_STATUSES.find((status) => status.toLowerCase() === part.trim().toLowerCase());
    if (!name) return undefined;
    out.push(name);
  }
  return out;
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Continuation tokens: the last row's creation time and id, base64url JSON. */
export function encodeToken(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify({ c: createdAt, i: id })).toString('base64url');
}

export function decodeToken(
  header: string | string[] | undefined,
): { createdAt: number; id: string } | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { c?: unknown; i?: unknown };
    if (typeof value.c === 'number' && typeof value.i === 'string')
      return { createdAt: value.c, id: value.i };
  } catch {
    return undefined;
  }
  return undefined;
}
