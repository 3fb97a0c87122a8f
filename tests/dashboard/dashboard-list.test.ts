// The instance list in Chromium against a stand-in management API (helpers/fake-management-api.ts):
// paging, filters and URL state, sort and hide, bulk actions, read-only mode, error states, the Runs
// view. The detail view: dashboard-detail.test.ts; the real backend: dashboard-live.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { Page } from 'playwright-core';

import { startDashboard } from '../../devhost/src/dashboard/index.js';
import { fakeRun, startFakeRunApi } from './helpers/fake-run-api.js';
import { ARTIFACTS, browserSkipReason, rowIds, waitFor } from './helpers/browser.js';
import type { FakeManagementApi } from './helpers/fake-management-api.js';
import { KEY, quiet, type StandIn, startStandIn } from './helpers/stand-in.js';

const RUN_TOKEN = 'run-api-token-for-browser-tests';

describe('dashboard instance list against a stand-in management API', { skip: browserSkipReason() }, () => {
  let world: StandIn;
  let api: FakeManagementApi;
  let dashboard: StandIn['dashboard'];
  let page: Page;

  before(async () => {
    world = await startStandIn();
    ({ api, dashboard, page } = world);
  });

  after(async () => {
    await world?.close();
  });

  test('the list loads the first page and pages on with the continuation token', async () => {
    await page.goto(`${dashboard.url}#/?top=25&sort=instanceId:asc`);
    await waitFor('25 rows', async () => (await rowIds(page)).length === 25);
    await page.click('[data-testid=page-next]');
    await waitFor('the second page', async () => (await rowIds(page)).length === 8);
    await page.click('[data-testid=page-prev]');
    await waitFor('the first page again', async () => (await rowIds(page)).length === 25);
    assert.ok(api.requests.some((r) => r.line.includes('top=25')));
  });

  test('status, name, id prefix and custom-status filters narrow the list and live in the URL', async () => {
    await page.goto(`${dashboard.url}#/?top=100`);
    await waitFor('all rows', async () => (await rowIds(page)).length === 33);

    await page.click('[data-testid=status-Failed]');
    await waitFor('only failed rows', async () => {
      const statuses = await page.locator('td[data-column=runtimeStatus] .badge').allTextContents();
      return statuses.length === 6 && statuses.every((s) => s === 'Failed');
    });
    await page.click('[data-testid=status-Failed]');

    await page.fill('[data-testid=filter-name]', 'chunk');
    await waitFor(
      'chunk rows',
      async () =>
        (await rowIds(page)).every((id) => id.startsWith('chunk-')) && (await rowIds(page)).length === 6,
    );
    await page.fill('[data-testid=filter-name]', '');

    await page.fill('[data-testid=filter-prefix]', 'statements-20261');
    await page.fill('[data-testid=filter-custom]', 'listing');
    await waitFor('prefix and custom-status rows', async () => {
      const ids = await rowIds(page);
      return ids.length === 5 && ids.every((id) => id.startsWith('statements-20261'));
    });
    assert.ok(api.requests.some((r) => r.line.includes('instanceIdPrefix=statements-20261')));
    const hash = new URL(page.url()).hash;
    assert.match(hash, /prefix=statements-20261/);
    assert.match(hash, /custom=listing/);

    await page.reload();
    await waitFor('the same view after reload', async () => (await rowIds(page)).length === 5);
    assert.equal(await page.inputValue('[data-testid=filter-prefix]'), 'statements-20261');
  });

  test('columns sort and hide', async () => {
    await page.goto(`${dashboard.url}#/?top=100&prefix=chunk-`);
    await waitFor('chunk rows', async () => (await rowIds(page)).length === 6);
    await page.click('[data-testid=sort-instanceId]');
    await waitFor('descending ids', async () => (await rowIds(page))[0] === 'chunk-5');
    await page.click('[data-testid=sort-instanceId]');
    await waitFor('ascending ids', async () => (await rowIds(page))[0] === 'chunk-0');
    await page.click('.columns-menu summary');
    await page.click('[data-testid=column-parentInstanceId]');
    await waitFor(
      'no parent column',
      async () => (await page.$$('td[data-column=parentInstanceId]')).length === 0,
    );
    await waitFor('the hidden column in the URL', () =>
      new URL(page.url()).hash.includes('hide=parentInstanceId'),
    );
  });

  test('a histogram bar narrows the time filter to its bucket', async () => {
    await page.goto(`${dashboard.url}#/?top=100&range=1h`);
    await waitFor('all rows', async () => (await rowIds(page)).length === 33);
    const bar = await waitFor('a bar with rows', () =>
      page.$('[data-testid=histogram] button:not([disabled])'),
    );
    const count = Number(((await bar.getAttribute('aria-label')) ?? '').split(' ')[0]);
    await bar.click();
    await waitFor('the bucket as a custom range', () =>
      /range=custom&from=.+&to=/.test(new URL(page.url()).hash),
    );
    await waitFor('the rows of that bucket', async () => (await rowIds(page)).length === count);
  });

  test('a screenshot of the list is written', async () => {
    await page.goto(`${dashboard.url}#/?top=50&range=24h`);
    await waitFor('rows', async () => (await rowIds(page)).length > 10);
    await page.screenshot({ path: join(ARTIFACTS, 'list.png'), fullPage: false });
  });

  test('bulk suspend acts on every selected instance', async () => {
    await page.goto(`${dashboard.url}#/?top=100&prefix=chunk-&sort=instanceId:asc`);
    await waitFor('chunk rows', async () => (await rowIds(page)).length === 6);
    await page.check('tr[data-instance-id=chunk-0] input[type=checkbox]');
    await page.check('tr[data-instance-id=chunk-1] input[type=checkbox]');
    await page.click('[data-testid=bulk-suspend]');
    await page.click('[data-testid=action-dialog] button[type=submit]');
    await waitFor(
      'both suspended',
      () =>
        api.instances.get('chunk-0')?.runtimeStatus === 'Suspended' &&
        api.instances.get('chunk-1')?.runtimeStatus === 'Suspended',
    );
    assert.equal(api.instances.get('chunk-2')?.runtimeStatus, 'Running');
  });

  test('a read-only dashboard shows no actions and no selection', async () => {
    const readOnly = await startDashboard({
      port: 0,
      managementBaseUrl: api.baseUrl,
      systemKey: KEY,
      readOnly: true,
      logger: quiet,
      uiDir: world.uiDir,
    });
    try {
      await page.goto(`${readOnly.url}#/?top=100`);
      await waitFor('rows', async () => (await rowIds(page)).length > 0);
      await page.waitForSelector('[data-testid=read-only]');
      assert.equal((await page.$$('td.select input')).length, 0);
      await page.goto(`${readOnly.url}#/instances/live-run`);
      await page.waitForSelector('[data-testid=run-progress]');
      assert.equal((await page.$$('[data-testid^=action-]')).length, 0);
    } finally {
      await readOnly.close();
    }
  });

  test('an unreachable management API and a wrong key each get a clear message', async () => {
    const { uiDir } = world;
    const unreachable = await startDashboard({
      port: 0,
      managementBaseUrl: 'http://127.0.0.1:9/runtime/webhooks/durabletask',
      systemKey: KEY,
      logger: quiet,
      uiDir,
    });
    const wrongKey = await startDashboard({
      port: 0,
      managementBaseUrl: api.baseUrl,
      systemKey: 'wrong-key-000',
      logger: quiet,
      uiDir,
    });
    try {
      await page.goto(unreachable.url);
      await waitFor('unreachable', async () =>
        (await page.textContent('[data-testid=error-state]'))?.includes('Management API unreachable'),
      );
      await page.goto(wrongKey.url);
      await waitFor('key rejected', async () =>
        (await page.textContent('[data-testid=error-state]'))?.includes('rejected the key'),
      );
      await page.screenshot({ path: join(ARTIFACTS, 'error-wrong-key.png') });
    } finally {
      await unreachable.close();
      await wrongKey.close();
    }
  });

  test('the Runs view lists the run API with a server-side token and links to instances', async () => {
    const runApi = await startFakeRunApi(RUN_TOKEN, [
      fakeRun('live-run', 'running', 100, 1000, 5),
      fakeRun('statements-202601', 'completed', 1000, 1000),
    ]);
    const withRuns = await startDashboard({
      port: 0,
      managementBaseUrl: api.baseUrl,
      systemKey: KEY,
      runApi: { baseUrl: runApi.baseUrl, getToken: () => Promise.resolve(RUN_TOKEN) },
      logger: quiet,
      uiDir: world.uiDir,
    });
    try {
      await page.goto(withRuns.url);
      await page.click('[data-testid=nav-runs]');
      await waitFor(
        'two runs',
        async () => (await page.$$('[data-testid=runs-table] tbody tr')).length === 2,
      );
      await page.selectOption('[data-testid=runs-status]', 'completed');
      await waitFor('the completed run', async () => {
        const rows = await page.$$('[data-testid=runs-table] tbody tr');
        return rows.length === 1 && (await rows[0]?.getAttribute('data-run-id')) === 'statements-202601';
      });
      assert.match(new URL(page.url()).hash, /#\/runs\?status=completed/);
      assert.ok(runApi.authorizations.every((a) => a === `Bearer ${RUN_TOKEN}`));

      await page.selectOption('[data-testid=runs-status]', '');
      await page.click('a[href="#/instances/live-run"]');
      await waitFor('the run panel from the run API', async () =>
        (await page.textContent('[data-testid=run-summary]'))?.includes('2026-11'),
      );
      assert.equal((await page.content()).includes(RUN_TOKEN), false);
    } finally {
      await withRuns.close();
      await runApi.close();
    }
  });

  test('nothing is fetched from outside this machine', () => {
    assert.deepEqual(world.offsite, []);
  });

  test('no script error or content-security-policy violation happened', () => {
    assert.deepEqual(world.errors, []);
  });
});
