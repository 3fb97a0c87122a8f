import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  functionLogAllowed,
  functionTimeoutMs,
  routePrefixOf,
} from '../../../devhost/src/functions-host/app-files.js';
import { toUserLogEvent } from '../../../devhost/src/functions-host/user-log.js';

const HOST_JSON = {
  logging: { logLevel: { default: 'Information', Function: 'Warning', 'Function.chatty': 'Debug' } },
};

test('host.json log levels filter user logs, the most specific category winning', () => {
  assert.equal(functionLogAllowed(HOST_JSON, 'quiet', 'information'), false);
  assert.equal(functionLogAllowed(HOST_JSON, 'quiet', 'warning'), true);
  assert.equal(functionLogAllowed(HOST_JSON, 'chatty', 'debug'), true);
  assert.equal(functionLogAllowed({}, 'any', 'trace'), true);
  assert.equal(functionLogAllowed({ logging: { logLevel: { default: 'None' } } }, 'any', 'error'), false);
});

test('functionTimeout is read as a TimeSpan and -1 means no limit', () => {
  assert.equal(functionTimeoutMs({ functionTimeout: '00:10:00' }), 600_000);
  assert.equal(functionTimeoutMs({ functionTimeout: '1.00:00:00' }), 86_400_000);
  assert.equal(functionTimeoutMs({ functionTimeout: '00:00:00.250' }), 250);
  assert.equal(functionTimeoutMs({ functionTimeout: '-1' }), undefined);
  assert.equal(functionTimeoutMs({}), undefined);
  assert.throws(() => functionTimeoutMs({ functionTimeout: 'ten minutes' }), { name: 'AppLoadError' });
});

test('the route prefix defaults to api and may be empty', () => {
  assert.equal(routePrefixOf({}), 'api');
  assert.equal(routePrefixOf({ extensions: { http: { routePrefix: '' } } }), '');
  assert.equal(routePrefixOf({ extensions: { http: { routePrefix: '/v1/' } } }), 'v1');
});

test('a JSON message with an event name becomes that event with its properties', () => {
  assert.deepEqual(toUserLogEvent('{"event":"run.started","runId":"r1","level":"x"}'), {
    event: 'run.started',
    props: { runId: 'r1', 'app.level': 'x' },
  });
});

test('a message of an event name and a JSON object becomes that event', () => {
  assert.deepEqual(toUserLogEvent('items.listed {"count":2}'), {
    event: 'items.listed',
    props: { count: 2 },
  });
});

test('any other message stays a function.log event with the text', () => {
  assert.deepEqual(toUserLogEvent('doubling 2'), { event: 'function.log', props: { message: 'doubling 2' } });
  assert.deepEqual(toUserLogEvent('{"no":"event"}'), {
    event: 'function.log',
    props: { message: '{"no":"event"}' },
  });
});
