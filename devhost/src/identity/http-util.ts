import type { ServerResponse } from 'node:http';

import { sendJson as sendJsonAnswer } from '../http-util.js';

/** The largest request body the identity server reads: forms and admin JSON are small. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Answers with JSON that is never cached: identity answers carry tokens, keys and secrets. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendJsonAnswer(res, status, body, { 'cache-control': 'no-store', ...headers });
}
