import type { HttpResponseInit } from '@azure/functions';

/** Extra members of a problem document, e.g. the `field` a validation error is about. */
export type ProblemExtensions = Record<string, string | number | boolean | null>;

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  422: 'Unprocessable request',
  500: 'Internal error',
  503: 'Unavailable',
};

/** An RFC 9457 `application/problem+json` response. */
export function problem(
  status: number,
  detail: string,
  extensions: ProblemExtensions = {},
): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    // The standard members come last so an extension can never replace them.
    jsonBody: { ...extensions, type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail },
  };
}

/** A 400 naming the field that is wrong. */
export function invalidField(field: string, detail: string): HttpResponseInit {
  return problem(400, detail, { field });
}

/** A JSON response that is never cached. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, headers: { 'cache-control': 'no-store', ...headers }, jsonBody: body };
}
