import assert from 'node:assert/strict';
import { test } from 'node:test';

import { byPrecedence, compileRoute } from '../../../devhost/src/functions-host/routes.js';

test('a literal template matches its path case-insensitively, with or without a trailing slash', () => {
  const route = compileRoute('api/health');
  assert.deepEqual(route.match('/api/health'), {});
  assert.deepEqual(route.match('/API/Health/'), {});
  assert.equal(route.match('/api/healthz'), undefined);
});

test('parameters capture one decoded segment each', () => {
  const route = compileRoute('api/jobs/{job}/items/{itemId}/process');
  assert.deepEqual(route.match('/api/jobs/statements/items/acct%2F7/process'), {
    job: 'statements',
    itemId: 'acct/7',
  });
  assert.equal(route.match('/api/jobs/statements/items/process'), undefined);
});

test('an int constraint rejects non-numbers and values beyond 32 bits', () => {
  const route = compileRoute('api/n/{id:int}');
  assert.deepEqual(route.match('/api/n/-12'), { id: '-12' });
  assert.equal(route.match('/api/n/abc'), undefined);
  assert.equal(route.match('/api/n/2147483648'), undefined);
});

test('chained constraints all apply', () => {
  const route = compileRoute('api/r/{n:int:range(1,5)}/{code:alpha:length(2)}');
  assert.deepEqual(route.match('/api/r/3/ab'), { n: '3', code: 'ab' });
  assert.equal(route.match('/api/r/6/ab'), undefined);
  assert.equal(route.match('/api/r/3/abc'), undefined);
});

test('guid, bool and regex constraints', () => {
  assert.ok(compileRoute('x/{id:guid}').match('/x/0f8fad5b-d9cb-469f-a165-70867728950e'));
  assert.equal(compileRoute('x/{id:guid}').match('/x/nope'), undefined);
  assert.ok(compileRoute('x/{b:bool}').match('/x/TRUE'));
  assert.ok(compileRoute('x/{p:regex(^[0-9]+-[0-9]+$)}').match('/x/2026-12'));
  assert.equal(compileRoute('x/{p:regex(^[0-9]+-[0-9]+$)}').match('/x/2026'), undefined);
});

test('an optional parameter may be absent', () => {
  const route = compileRoute('api/items/{name}/{version?}');
  assert.deepEqual(route.match('/api/items/a'), { name: 'a' });
  assert.deepEqual(route.match('/api/items/a/2'), { name: 'a', version: '2' });
});

test('a parameter default fills in when the segment is absent', () => {
  assert.deepEqual(compileRoute('api/page/{n=1}').match('/api/page'), { n: '1' });
});

test('a catch-all takes the rest of the path, slashes included', () => {
  const route = compileRoute('api/files/{*path}');
  assert.deepEqual(route.match('/api/files/a/b/c.txt'), { path: 'a/b/c.txt' });
  assert.deepEqual(route.match('/api/files'), {});
});

test('unknown constraints and misplaced catch-alls are rejected at compile time', () => {
  assert.throws(() => compileRoute('api/{id:nope}'), {
    name: 'RouteTemplateError',
    message: /unknown constraint "nope"/,
  });
  assert.throws(() => compileRoute('api/{*rest}/more'), { name: 'RouteTemplateError' });
});

test('literal routes are tried before parameter routes and catch-alls last', () => {
  const routes = ['api/{*rest}', 'api/{id}', 'api/{id:int}', 'api/health']
    .map(compileRoute)
    .sort(byPrecedence);
  assert.deepEqual(
    routes.map((route) => route.template),
    ['api/health', 'api/{id:int}', 'api/{id}', 'api/{*rest}'],
  );
});
