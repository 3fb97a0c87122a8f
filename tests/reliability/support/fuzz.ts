// Pieces of the HTTP fuzzing: arbitraries for path segments, query strings, headers and bodies, and
// the one rule every answer must keep (2xx or 4xx; a 4xx is problem+json).
import assert from 'node:assert/strict';

import fc from 'fast-check';

/** Text as it may show up in a URL segment or query value, including hostile shapes. */
export const segmentText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '.',
    '..',
    '%',
    '%00',
    '..%2f..',
    '\u0000',
    ' ',
    '/',
    '?',
    '#',
    'a'.repeat(300),
    'null',
    '{}',
  ),
);

/** Printable header values (what fetch can send), some very long, some shaped like attacks. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.constantFrom(
    '',
    '*',
    'a'.repeat(4_000),
    '00-zz-zz-01',
    'text/plain',
    'application/json; charset=utf-16',
  ),
);

/** Extra request headers: ones the apps read, one they must never trust, and random ones. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'idempotency-key',
      'content-type',
      'accept',
      'traceparent',
      'x-ms-client-principal',
      'x-ms-client-principal-id',
      'x-forwarded-host',
      'if-match',
    ),
    fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
  ),
  headerValue,
  { maxKeys: 4 },
);

/** JSON values of any shape, small. */
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** Bodies: JSON of any shape, objects with the members an API reads given odd values, and non-JSON. */
export function bodies(members: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> {
  return fc.oneof(
    anyJson.map((value) => JSON.stringify(value)),
    fc.record(members, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    fc.record({ ...members, extra: anyJson }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('', '{', '[]', 'null', '{"__proto__":{"polluted":true}}', 'x'.repeat(70_000)),
  );
}

/** Values for a member: what it should hold, and everything it should not. */
export function memberValue(good: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(good, anyJson, fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null));
}

/** Query strings of the given names with odd values, plus unknown names. */
export function queries(names: readonly string[]): fc.Arbitrary<string> {
  return fc
    .dictionary(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })), segmentText, { maxKeys: 5 })
    .map((query) => new URLSearchParams(query).toString());
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** Sends one request; a network-level failure is reported as status 0. */
export async function send(url: string, init: RequestInit): Promise<Answer> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
  } catch (error) {
    return { status: 0, contentType: '', body: String(error) };
  }
}

/**
 * Segments no route template can match: empty ones and dot segments, which URL parsing removes.
 * For such paths the Functions host itself answers 404 with an empty body, as Azure Functions does.
 */
export function unroutable(...segments: string[]): boolean {
  return segments.some((text) => text === '' || text === '.' || text === '..');
}

/**
 * Only 2xx or 4xx; a 4xx carries an RFC 9457 problem with its status. `unroutable` allows the host's
 * own empty 404 for a path no function serves.
 */
export function assertWellFormed(answer: Answer, what: string, unroutablePath = false): void {
  if (unroutablePath && answer.status === 404 && answer.body === '') return;
  assert.ok(
    (answer.status >= 200 && answer.status < 300) || (answer.status >= 400 && answer.status < 500),
    `${what} answered ${answer.status}: ${answer.body.slice(0, 300)}`,
  );
  if (answer.status < 400) return;
  assert.match(
    answer.contentType,
    /^application\/problem\+json/,
    `${what} answered ${answer.status} with ${answer.contentType}`,
  );
  const problem = JSON.parse(answer.body) as { status?: unknown; title?: unknown };
  assert.equal(problem.status, answer.status, `${what}: problem status`);
  assert.equal(typeof problem.title, 'string', `${what}: problem title`);
}

/** A path segment as a client would put it in a URL. */
export function segment(text: string): string {
  return encodeURIComponent(text);
}
