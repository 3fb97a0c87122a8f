import assert from 'node:assert/strict';
import { test } from 'node:test';

import { problem } from '../../orchestrator-app/src/http/problem.js';

test('a problem keeps its HTTP status in the status member even when an extension is named status', () => {
  const response = problem(409, 'Run r1 has already finished (completed).', {
    status: 'completed',
    runStatus: 'completed',
  });
  const body = response.jsonBody as Record<string, unknown>;
  assert.equal(response.status, 409);
  assert.equal(body.status, 409);
  assert.equal(body.title, 'Conflict');
  assert.equal(body.runStatus, 'completed');
});
