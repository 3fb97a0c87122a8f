import type { ServerResponse } from 'node:http';

/** Answers with an RFC 9457 problem document. */
export function sendProblem(res: ServerResponse, status: number, title: string, detail?: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}) });
  res.writeHead(status, { 'content-type': 'application/problem+json', 'cache-control': 'no-store' });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}
