// The dashboard in Chromium against a stand-in management API (helpers/fake-management-api.ts):
// list, filters and URL state, paging, progress, actions, read-only mode, error states, and a
// 10,000-event history. The same UI against the real durable backend: dashboard-live.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { type Dashboard, startDashboard } from '../../devhost/src/dashboard/index.js';
import { createLogger } from '../../devhost/src/log.js';
import {
  ARTIFACTS,
  rowIds,
  browserSkipReason,
  buildUi,
  launchBrowser,
  openPage,
  removeBuiltUi,
  waitFor,
} from './helpers/browser.js';
import {
  type FakeInstance,
  fakeInstance,
  type FakeManagementApi,
  startFakeManagementApi,
} from './helpers/fake-management-api.js';
import { fakeRun, startFakeRunApi } from './helpers/fake-run-api.js';

const KEY = 'browser-test-system-key-9f8e7d6c5b4a';
const RUN_TOKEN = 'run-api-token-for-browser-tests';
const quiet = createLogger({ write: () => {} });
const skip = browserSkipReason();

/** 5,000 activities: 10,002 events in the full event stream. */
function bigHistory(activities: number): unknown[] {
  const t0 = Date.parse('2026-12-01T02:00:00Z');
  const at = (ms: number): string => new Date(t0 + ms).toISOString();
  const events: unknown[] = [
    { EventType: 'ExecutionStarted', EventId: -1, Name: 'bigOrchestrator', Timestamp: at(0) },
  ];
  for (let i = 0; i < activities; i++) {
    events.push({ EventType: 'TaskScheduled', EventId: i, Name: 'trivialActivity', Timestamp: at(i * 10) });
    events.push({
      EventType: 'TaskCompleted',
      EventId: -1,
      TaskScheduledId: i,
      Result: String(i),
      Timestamp: at(i * 10 + 25),
    });
  }
  events.push({
    EventType: 'ExecutionCompleted',
    EventId: -1,
    Timestamp: at(activities * 10 + 50),
    Result: '"done"',
  });
  return events;
}

function seed(): FakeInstance[] {
  const rows: FakeInstance[] = [];
  for (let i = 0; i < 24; i++) {
    const status = i % 4 === 0 ? 'Failed' : i % 3 === 0 ? 'Running' : 'Completed';
    rows.push(
      fakeInstance(
        `statements-2026${String(i).padStart(2, '0')}`,
        'runOrchestrator',
        status,
        { customStatus: { phase: i % 2 ? 'listing' : 'chunks' } },
        60_000 * (i + 1),
      ),
    );
  }
  for (let i = 0; i < 6; i++)
    rows.push(fakeInstance(`chunk-${i}`, 'chunkOrchestrator', 'Running', {}, 30_000));
  rows.push(
    fakeInstance('live-run', 'runOrchestrator', 'Running', {
      input: { job: 'statements', period: '2026-11' },
      customStatus: {
        phase: 'chunks',
        progress: { total: 1000, succeeded: 100, failed: 5, retries: 2, throttledWaits: 0, percent: 10.5 },
      },
      historyEvents: bigHistory(20),
    }),
    fakeInstance('to-terminate', 'runOrchestrator', 'Running', { historyEvents: bigHistory(3) }),
    fakeInstance('big-history', 'bigOrchestrator', 'Completed', {
      historyEvents: bigHistory(5000),
      output: 'done',
    }),
  );
  return rows;
}

describe('dashboard UI against a stand-in management API', { skip }, () => {
  let api: FakeManagementApi;
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  let offsite: string[];
  let errors: string[];
  let closePage: () => Promise<void>;

  before(async () => {
    const uiDir = await buildUi();
    api = await startFakeManagementApi(KEY, seed());
    dashboard = await startDashboard({
      port: 0,
      managementBaseUrl: api.baseUrl,
      systemKey: KEY,
      logger: quiet,
      uiDir,
    });
    browser = await launchBrowser();
    ({ page, offsite, errors, close: closePage } = await openPage(browser));
  });

  after(async () => {
    await closePage?.();
    await browser?.close();
    await dashboard?.close();
    await api?.close();
    await removeBuiltUi();
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

  test('a screenshot of the list is written', async () => {
    await page.goto(`${dashboard.url}#/?top=50&range=24h`);
    await waitFor('rows', async () => (await rowIds(page)).length > 10);
    await page.screenshot({ path: join(ARTIFACTS, 'list.png'), fullPage: false });
  });

  test('the progress bar of a running run advances as its custom status does', async () => {
    await page.goto(`${dashboard.url}#/instances/live-run`);
    const done = async (): Promise<number> =>
      Number(await page.getAttribute('[data-testid=run-progress]', 'data-done'));
    await waitFor('the progress bar', async () => (await done()) === 105);
    const live = api.instances.get('live-run');
    assert.ok(live);
    live.customStatus = {
      progress: { total: 1000, succeeded: 400, failed: 10, retries: 2, throttledWaits: 1, percent: 41 },
    };
    await waitFor('the progress bar to advance', async () => (await done()) === 410);
    await waitFor('a rate', async () =>
      /\/s$/.test((await page.textContent('[data-testid=progress-rate]')) ?? ''),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'detail.png') });
  });

  test('terminate from the UI ends the instance after confirmation', async () => {
    await page.goto(`${dashboard.url}#/instances/to-terminate`);
    await page.click('[data-testid=action-terminate]');
    await page.fill('[data-testid=action-dialog] input', 'stopped by the browser test');
    await page.click('[data-testid=action-dialog] button[type=submit]');
    await waitFor('Terminated', async () => (await page.textContent('.view-header .badge')) === 'Terminated');
    assert.equal(api.instances.get('to-terminate')?.runtimeStatus, 'Terminated');
    assert.ok(api.requests.some((r) => r.line.includes('/to-terminate/terminate?reason=stopped')));
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

  test('a 10,000-event history opens without freezing and renders only visible rows', async () => {
    const started = Date.now();
    await page.goto(`${dashboard.url}#/instances/big-history?tab=history`);
    await waitFor(
      'all events counted',
      async () => (await page.textContent('[data-testid=history-count]'))?.startsWith('10,002'),
      20_000,
    );
    const loadMs = Date.now() - started;
    const rendered = await page.locator('[data-testid=history-list] [role=row]').count();
    assert.ok(rendered < 100, `rendered ${rendered} rows`);

    // The page answers while the list is live: a round trip into the page is quick.
    const t0 = Date.now();
    await page.evaluate(() => 1);
    assert.ok(Date.now() - t0 < 1000);

    await page.focus('[data-testid=history-list]');
    await page.keyboard.press('End');
    await waitFor(
      'the last event in view',
      async () => (await page.textContent('[data-testid=history-list]'))?.includes('ExecutionCompleted'),
      5_000,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'history.png') });

    await page.click('[data-testid=tab-timeline]');
    await waitFor(
      'the timeline',
      async () => (await page.textContent('[data-testid=gantt]'))?.includes('5,000 spans'),
      10_000,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'timeline.png') });
    assert.ok(loadMs < 15_000, `history took ${loadMs} ms`);
  });

  test('the list, an action dialog and the history work from the keyboard', async () => {
    await page.goto(`${dashboard.url}#/?top=100&prefix=chunk-&sort=instanceId:asc`);
    await waitFor('chunk rows', async () => (await rowIds(page)).length === 6);
    await page.focus('a[href="#/instances/chunk-3"]');
    await page.keyboard.press('Enter');
    await waitFor(
      'the detail',
      async () => (await page.textContent('[data-testid=detail-id]')) === 'chunk-3',
    );

    await page.focus('[data-testid=action-terminate]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=action-dialog][open]');
    await page.keyboard.press('Escape');
    await waitFor('the dialog closed', async () => (await page.$('[data-testid=action-dialog]')) === null);
    assert.equal(api.instances.get('chunk-3')?.runtimeStatus, 'Running');

    await page.goto(`${dashboard.url}#/instances/live-run?tab=history`);
    await page.waitForSelector('[data-testid=history-list]');
    await page.focus('[data-testid=history-list]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await waitFor('the second event in the side panel', async () =>
      (await page.textContent('.history .json-panel h3'))?.startsWith('Event 2'),
    );
  });

  test('a read-only dashboard shows no actions and no selection', async () => {
    const readOnly = await startDashboard({
      port: 0,
      managementBaseUrl: api.baseUrl,
      systemKey: KEY,
      readOnly: true,
      logger: quiet,
      uiDir: await buildUi(),
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
    const uiDir = await buildUi();
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
      uiDir: await buildUi(),
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
    assert.deepEqual(offsite, []);
  });

  test('no script error or content-security-policy violation happened', () => {
    assert.deepEqual(errors, []);
  });
});
