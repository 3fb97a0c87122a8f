// The instance detail in Chromium against a stand-in management API: the progress bar, terminate,
// a 10,002-event history and its timeline, and keyboard use.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { Page } from 'playwright-core';

import { ARTIFACTS, browserSkipReason, rowIds, waitFor } from './helpers/browser.js';
import type { FakeManagementApi } from './helpers/fake-management-api.js';
import { type StandIn, startStandIn } from './helpers/stand-in.js';

describe('dashboard instance detail against a stand-in management API', { skip: browserSkipReason() }, () => {
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

  test('nothing is fetched from outside this machine', () => {
    assert.deepEqual(world.offsite, []);
  });

  test('no script error or content-security-policy violation happened', () => {
    assert.deepEqual(world.errors, []);
  });
});
