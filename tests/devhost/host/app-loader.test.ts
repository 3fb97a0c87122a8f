import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadFunctionApp } from '../../../devhost/src/functions-host/index.js';
import { recordingLogger } from '../../support/recording-logger.js';

const APP_DIR = join(import.meta.dirname, '../../fixtures/apps/http-basic');

process.env.FIXTURE_PRESET = 'from the environment';

test('the app registers every function through the core shim, with trigger names from its metadata', async () => {
  const { logger } = recordingLogger();
  const { invoker, hostJson } = await loadFunctionApp({ appDir: APP_DIR, logger });

  const names = invoker.list().map((fn) => fn.name);
  assert.deepEqual(names.sort(), [
    'adminOnly',
    'clientInfo',
    'cookies',
    'double',
    'echo',
    'fails',
    'hello',
    'invocationCount',
    'items',
    'shout',
  ]);
  assert.equal(invoker.find('double')?.trigger.type, 'activityTrigger');
  assert.match(invoker.find('hello')?.triggerName ?? '', /^httpTrigger[0-9a-f]{10}$/);
  assert.equal(hostJson.extensions?.http?.routePrefix, 'api');
});

test('an activity gets its JSON input and returns typed data', async () => {
  const { logger } = recordingLogger();
  const { invoker } = await loadFunctionApp({ appDir: APP_DIR, logger });
  const fn = invoker.find('double');
  assert.ok(fn);

  const result = await invoker.invoke('double', [{ name: fn.triggerName, data: { json: '21' } }]);

  assert.deepEqual(result.returnValue, { int: 42 });
});

test('postInvocation hooks can replace the result and a string result stays a string', async () => {
  const { logger } = recordingLogger();
  const { invoker } = await loadFunctionApp({ appDir: APP_DIR, logger });
  const triggerName = invoker.find('shout')?.triggerName ?? '';

  const result = await invoker.invoke('shout', [{ name: triggerName, data: { json: '"hey"' } }]);

  assert.deepEqual(result.returnValue, { string: 'HEY!' });
});

test('user logs become function.log events with the function name, invocation id and log props', async () => {
  const { logger, records } = recordingLogger();
  const { invoker } = await loadFunctionApp({ appDir: APP_DIR, logger });
  const triggerName = invoker.find('double')?.triggerName ?? '';

  await invoker.invoke('double', [{ name: triggerName, data: { json: '2' } }], {
    logProps: { instanceId: 'run-1' },
  });

  const log = records.find((record) => record.event === 'function.log');
  assert.ok(log);
  assert.equal(log.function, 'double');
  assert.equal(log.instanceId, 'run-1');
  assert.equal(log.message, 'doubling 2');
  assert.match(String(log.invocationId), /^[0-9a-f-]{36}$/);
});

test('an HTTP trigger gets the request and answers with an HTTP return value', async () => {
  const { logger } = recordingLogger();
  const { invoker } = await loadFunctionApp({ appDir: APP_DIR, logger });
  const triggerName = invoker.find('hello')?.triggerName ?? '';

  const result = await invoker.invoke('hello', [
    {
      name: triggerName,
      data: {
        http: {
          method: 'GET',
          url: 'http://127.0.0.1/api/hello?name=x',
          headers: {},
          query: { name: 'x' },
          params: {},
        },
      },
    },
  ]);

  const http = result.returnValue?.http as { statusCode: string; body: { bytes: Uint8Array } };
  assert.equal(http.statusCode, '200');
  assert.deepEqual(JSON.parse(Buffer.from(http.body.bytes).toString()), {
    greeting: 'hello from local.settings.json',
    preset: 'from the environment',
  });
});

test('a durableClient input gets the data of the provider set after loading', async () => {
  const { logger } = recordingLogger();
  const { invoker } = await loadFunctionApp({ appDir: APP_DIR, logger });
  const fn = invoker.find('clientInfo');
  assert.ok(fn);
  const request = {
    http: { method: 'GET', url: 'http://127.0.0.1/api/client-info', headers: {}, query: {}, params: {} },
  };

  await assert.rejects(invoker.invoke('clientInfo', [{ name: fn.triggerName, data: request }]), {
    name: 'HostNotReadyError',
  });
  invoker.setDurableClientDataProvider(() => ({
    taskHubName: 'FixtureHub',
    creationUrls: { createNewInstancePostUri: 'x', createAndWaitOnNewInstancePostUri: 'x' },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: 'x',
      sendEventPostUri: 'x',
      terminatePostUri: 'x',
      rewindPostUri: 'x',
      purgeHistoryDeleteUri: 'x',
      restartPostUri: 'x',
      suspendPostUri: 'x',
      resumePostUri: 'x',
    },
    baseUrl: 'http://127.0.0.1:1/runtime/webhooks/durabletask',
    requiredQueryStringParameters: 'code=x',
    rpcBaseUrl: 'http://127.0.0.1:1/durabletask/',
  }));
  const result = await invoker.invoke('clientInfo', [{ name: fn.triggerName, data: request }]);

  const http = result.returnValue?.http as { body: { bytes: Uint8Array } };
  assert.deepEqual(JSON.parse(Buffer.from(http.body.bytes).toString()), { taskHubName: 'FixtureHub' });
});

test('a handler that throws rejects the invocation with its error', async () => {
  const { logger } = recordingLogger();
  const { invoker } = await loadFunctionApp({ appDir: APP_DIR, logger });
  const triggerName = invoker.find('fails')?.triggerName ?? '';
  const request = {
    http: { method: 'GET', url: 'http://127.0.0.1/api/fails', headers: {}, query: {}, params: {} },
  };

  await assert.rejects(
    invoker.invoke('fails', [{ name: triggerName, data: request }]),
    /fixture handler failed/,
  );
});

test('an unknown function name rejects with FunctionNotFoundError', async () => {
  const { logger } = recordingLogger();
  const { invoker } = await loadFunctionApp({ appDir: APP_DIR, logger });

  await assert.rejects(invoker.invoke('nope', []), { name: 'FunctionNotFoundError' });
});

test('preInvocation hooks run before every invocation', async () => {
  const { logger } = recordingLogger();
  const { invoker } = await loadFunctionApp({ appDir: APP_DIR, logger });
  const triggerName = invoker.find('invocationCount')?.triggerName ?? '';
  const request = {
    http: { method: 'GET', url: 'http://127.0.0.1/api/invocation-count', headers: {}, query: {}, params: {} },
  };
  const count = async (): Promise<number> => {
    const result = await invoker.invoke('invocationCount', [{ name: triggerName, data: request }]);
    const http = result.returnValue?.http as { body: { bytes: Uint8Array } };
    return (JSON.parse(Buffer.from(http.body.bytes).toString()) as { invocations: number }).invocations;
  };

  const first = await count();
  const second = await count();

  assert.equal(second, first + 1);
});
