import assert from 'node:assert/strict';
import { test } from 'node:test';

import { withHostJsonOverrides } from '../../../devhost/src/functions-host/host-json-overrides.js';

const HOST_JSON = {
  version: '2.0',
  extensions: { durableTask: { hubName: 'BatchHub', maxConcurrentActivityFunctions: 64 } },
};

test('an AzureFunctionsJobHost__ setting replaces a host.json value and keeps its number type', () => {
  const result = withHostJsonOverrides(HOST_JSON, {
    AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions: '128',
  });
  assert.equal(result.extensions?.durableTask?.maxConcurrentActivityFunctions, 128);
  assert.equal(result.extensions?.durableTask?.hubName, 'BatchHub');
  assert.equal(
    HOST_JSON.extensions.durableTask.maxConcurrentActivityFunctions,
    64,
    'the input is not changed',
  );
});

test('names match host.json keys case-insensitively and missing levels are created', () => {
  const result = withHostJsonOverrides(HOST_JSON, {
    AZUREFUNCTIONSJOBHOST__EXTENSIONS__DURABLETASK__HUBNAME: 'OtherHub',
    AzureFunctionsJobHost__extensions__http__routePrefix: '',
    AzureFunctionsJobHost__functionTimeout: '00:05:00',
  });
  assert.equal(result.extensions?.durableTask?.hubName, 'OtherHub');
  assert.equal(result.extensions?.http?.routePrefix, '');
  assert.equal(result.functionTimeout, '00:05:00');
});

test('other settings leave host.json alone', () => {
  assert.deepEqual(
    withHostJsonOverrides(HOST_JSON, { WORKER_SCOPE: 'api://x/.default', PATH: '/bin' }),
    HOST_JSON,
  );
});
