import type { HttpResponseInit } from '@azure/functions';

/** Problem types the worker answers with; each becomes `urn:batch-worker:problem:<slug>`. */
export type ProblemSlug =
  | 'unauthenticated'
  | 'forbidden'
  | 'caller-not-allowed'
  | 'unknown-job'
  | 'unknown-item'
  | 'bad-cursor'
  | 'bad-limit'
  | 'bad-idempotency-key'
  | 'body-too-large'
  | 'body-not-json'
  | 'invalid-body'
  | 'idempotency-key-reused'
  | 'idempotency-key-in-progress'
  | 'overloaded'
  | 'store-unavailable'
  | 'misconfigured'
  | 'internal-error';

export const PROBLEM_TYPE_PREFIX = 'urn:batch-worker:problem:';

/** The fields of an RFC 9457 problem the worker sends. */
export interface ProblemInit {
  status: number;
  slug: ProblemSlug;
  title: string;
  detail: string;
  /** Seconds, sent as `Retry-After` (429 and 503). */
  retryAfterSeconds?: number;
  /** Extension members, e.g. the name of the offending field. */
  extensions?: Record<string, string | number>;
}

/**
 * An HTTP-level failure raised while validating or serving a request. The function wrapper turns it
 * into an `application/problem+json` answer; nothing else about it reaches the caller.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly problem: ProblemInit;

  constructor(problem: ProblemInit, options?: ErrorOptions) {
    super(`${problem.status} ${problem.slug}: ${problem.detail}`, options);
    this.problem = problem;
  }
}

/** Builds an `application/problem+json` response. */
export function problemResponse(problem: ProblemInit): HttpResponseInit {
  const headers: Record<string, string> = {
    'Content-Type': 'application/problem+json',
    'Cache-Control': 'no-store',
  };
  if (problem.retryAfterSeconds !== undefined) headers['Retry-After'] = String(problem.retryAfterSeconds);
  if (problem.status === 401) headers['WWW-Authenticate'] = 'Bearer';

  const body = {
    ...problem.extensions,
    type: PROBLEM_TYPE_PREFIX + problem.slug,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
  };
  return { status: problem.status, headers, body: JSON.stringify(body) };
}

/** Builds a JSON success response. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponseInit {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
