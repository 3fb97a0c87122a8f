import { HttpProblem } from './problem.js';

const MAX_CURSOR_LENGTH = 512;

/** Encodes the position after `lastItemId` in `job`'s listing as an opaque token. */
export function encodeCursor(job: string, lastItemId: string): string {
  return Buffer.from(JSON.stringify({ v: 1, job, after: lastItemId }), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for this job and returns the item id to list after,
 * or undefined for the first page. Anything else is a 400 `bad-cursor` problem: a cursor of another
 * job, a forged id or a mangled token never silently restarts the listing.
 */
export function decodeCursor(
  cursor: string | null,
  job: string,
  isItemId: (id: string) => boolean,
): string | undefined {
  if (cursor === null || cursor === '') return undefined;

  const bad = (why: string): HttpProblem =>
    new HttpProblem({
      status: 400,
      slug: 'bad-cursor',
      title: 'Invalid cursor',
      detail: `The cursor ${why}; pass back nextCursor from a previous page unchanged, or omit it to start over.`,
    });
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad('is not a token');

  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('cannot be decoded');
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad('cannot be decoded');
  const { v, job: cursorJob, after } = parsed as Record<string, unknown>;
  if (v !== 1) throw bad('has an unknown version');
  if (cursorJob !== job) throw bad(`belongs to another job`);
  if (typeof after !== 'string' || !isItemId(after)) throw bad('names no item of this job');
  return after;
}
