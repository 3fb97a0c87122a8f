import type { HttpRequest } from '@azure/functions';

import { HttpProblem } from './problem.js';

/** Bodies larger than this are refused unread beyond the limit. */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const PRINTABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Reads the required `Idempotency-Key` header: 1–200 printable ASCII characters. */
export function readIdempotencyKey(request: HttpRequest): string {
  const key = request.headers.get('idempotency-key');
  if (key === null || key === '') {
    throw new HttpProblem({
      status: 400,
      slug: 'bad-idempotency-key',
      title: 'Idempotency-Key required',
      detail: 'Send an Idempotency-Key header (1–200 printable characters) with every process call.',
    });
  }
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !PRINTABLE.test(key)) {
    throw new HttpProblem({
      status: 400,
      slug: 'bad-idempotency-key',
      title: 'Invalid Idempotency-Key',
      detail: `The Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters (got ${key.length}).`,
    });
  }
  return key;
}

/** Reads a JSON object body of at most {@link MAX_BODY_BYTES}. */
export async function readJsonObject(request: HttpRequest): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge(declared);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge(bytes.byteLength);

  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new HttpProblem(
      {
        status: 400,
        slug: 'body-not-json',
        title: 'Body is not JSON',
        detail:
          'Send a JSON object such as {"runId":"…","period":"2026-11"} with Content-Type application/json.',
      },
      { cause: error },
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpProblem({
      status: 422,
      slug: 'invalid-body',
      title: 'Body is not a JSON object',
      detail: 'The body must be a JSON object.',
    });
  }
  return body as Record<string, unknown>;
}

function tooLarge(size: number): HttpProblem {
  return new HttpProblem({
    status: 400,
    slug: 'body-too-large',
    title: 'Body too large',
    detail: `The body has ${size} bytes; at most ${MAX_BODY_BYTES} are accepted.`,
    extensions: { maxBytes: MAX_BODY_BYTES },
  });
}

/** Parses `limit` (1–1000, default 100). */
export function readLimit(request: HttpRequest): number {
  const raw = request.query.get('limit');
  if (raw === null || raw === '') return 100;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) {
    throw new HttpProblem({
      status: 400,
      slug: 'bad-limit',
      title: 'Invalid limit',
      detail: `limit must be a whole number from 1 to 1000, got ${JSON.stringify(raw.slice(0, 20))}.`,
    });
  }
  return Number(raw);
}
