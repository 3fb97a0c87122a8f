// Paging through continuation tokens: the API hands out a token per page and can only go forward,
// so the tokens of pages already seen are kept to go back.

export interface PageCursor {
  /** Token that fetches page i; page 0 needs none. */
  readonly tokens: readonly (string | undefined)[];
  readonly index: number;
  /** Token of the page after the current one, once the current one has loaded. */
  readonly next?: string;
}

export const FIRST_PAGE: PageCursor = { tokens: [undefined], index: 0 };

export function currentToken(cursor: PageCursor): string | undefined {
  return cursor.tokens[cursor.index];
}

/** Records the token the current page's answer carried (`x-ms-continuation-token`). */
export function withNextToken(cursor: PageCursor, token: string | null | undefined): PageCursor {
  const next = token && token !== 'null' ? token : undefined;
  return { ...cursor, next };
}

export function hasNext(cursor: PageCursor): boolean {
  return cursor.next !== undefined;
}

export function hasPrevious(cursor: PageCursor): boolean {
  return cursor.index > 0;
}

export function goNext(cursor: PageCursor): PageCursor {
  if (cursor.next === undefined) return cursor;
  const tokens = [...cursor.tokens.slice(0, cursor.index + 1), cursor.next];
  return { tokens, index: cursor.index + 1 };
}

export function goPrevious(cursor: PageCursor): PageCursor {
  if (cursor.index === 0) return cursor;
  return { tokens: cursor.tokens.slice(0, cursor.index), index: cursor.index - 1 };
}
