import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decideRetry, retryDelay } from '../../../devhost/src/durable/retry.js';
import type { RetryContext } from '../../../devhost/src/durable/types.js';

const failure = { ErrorType: 'Error', ErrorMessage: 'boom' };
const context = (over: Partial<RetryContext> = {}): RetryContext => ({
  target: 'activity',
  name: 'work',
  input: 'null',
  options: { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 5, backoffCoefficient: 2 },
  attempt: 1,
  firstAttemptAt: 0,
  ...over,
});

test('the delay grows by the backoff coefficient per failed attempt', () => {
  const options = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 5, backoffCoefficient: 2 };
  assert.deepEqual(
    [1, 2, 3, 4].map((attempt) => retryDelay(options, attempt)),
    [1000, 2000, 4000, 8000],
  );
});

test('the delay is capped at the max retry interval', () => {
  const options = {
    firstRetryIntervalInMilliseconds: 1000,
    maxNumberOfAttempts: 9,
    backoffCoefficient: 3,
    maxRetryIntervalInMilliseconds: 5000,
  };
  assert.deepEqual(
    [1, 2, 3].map((attempt) => retryDelay(options, attempt)),
    [1000, 3000, 5000],
  );
});

test('without a coefficient every retry waits the first interval', () => {
  assert.equal(retryDelay({ firstRetryIntervalInMilliseconds: 250, maxNumberOfAttempts: 3 }, 3), 250);
});

test('a failure with attempts left schedules the next attempt after the delay', () => {
  const decision = decideRetry(context({ attempt: 2 }), failure, 10_000);
  assert.equal(decision.fireAt, 12_000);
  assert.equal(decision.next.attempt, 3);
  assert.equal(decision.next.exhausted, undefined);
});

test('the last failed attempt still gets a timer, due at once', () => {
  const decision = decideRetry(context({ attempt: 5 }), failure, 10_000);
  assert.equal(decision.fireAt, 10_000);
  assert.equal(decision.next.attempt, 6);
});

test('past the retry timeout the remaining attempts are marked exhausted with the last failure', () => {
  const options = {
    firstRetryIntervalInMilliseconds: 1000,
    maxNumberOfAttempts: 5,
    retryTimeoutInMilliseconds: 3000,
  };
  const decision = decideRetry(context({ options, attempt: 2 }), failure, 3000);
  assert.equal(decision.fireAt, 3000);
  assert.equal(decision.next.exhausted, true);
  assert.deepEqual(decision.next.lastFailure, failure);
});

test('a non-retriable failure stops retrying', () => {
  const decision = decideRetry(context(), { ...failure, IsNonRetriable: true }, 0);
  assert.equal(decision.next.exhausted, true);
});
