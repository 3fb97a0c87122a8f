// The dashboard in Chromium against a real function host with the durable backend, running the
// fixture app tests/fixtures/apps/dashboard-runs: a run started during the test shows its progress
// advancing, terminate from the UI ends an instance, parent and child link up, and a history of
// more than 10,000 events opens without freezing.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { Page } from 'playwright-core';

import type { Dashboard } from '../../devhost/src/dashboard/index.js';
import { type FunctionHost, startFunctionHost } from '../../devhost/src/functions-host/index.js';
import { createLogger } from '../../devhost/src/log.js';
import {
  ARTIFACTS,
  rowIds,
  browserSkipReason,
  type DashboardPage,
  openDashboardPage,
  waitFor,
} from './helpers/browser.js';

const APP = join(import.meta.dirname, '..', 'fixtures', 'apps', 'dashboard-runs');
const quiet = createLogger({ write: () => {} });
const BIG_ACTIVITIES = 10_000;

describe('dashboard UI against the real durable backend', { skip: browserSkipReason() }, () => {
  let dataDir: string;
  let host: FunctionHost;
  let ui: DashboardPage | undefined;
  let dashboard: Dashboard;
  let page: Page;
  let errors: string[];

  const mgmt = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${host.url}/runtime/webhooks/durabletask${path}`, {
      ...init,
      headers: { ...init.headers, 'x-functions-key': host.keys.system },
    });
  const start = async (name: string, id: string, input: unknown): Promise<void> => {
    const response = await mgmt(`/orchestrators/${name}/${encodeURIComponent(id)}`, {
      method: 'POST',
      body: JSON.stringify(input),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 202, await response.text());
  };
  const statusOf = async (id: string): Promise<string> => {
    const body = (await (await mgmt(`/instances/${encodeURIComponent(id)}`)).json()) as {
      runtimeStatus: string;
    };
    return body.runtimeStatus;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dashboard-live-'));
    host = await startFunctionHost({ appDir: APP, port: 0, dataDir, logger: quiet, timers: false });
    ui = await openDashboardPage({
      managementBaseUrl: `${host.url}/runtime/webhooks/durabletask`,
      systemKey: host.keys.system,
      logger: quiet,
    });
    ({ dashboard, page, errors } = ui);
    // Runs in the background while the other tests go; the history test waits for it.
    await start('bigHistory', 'big-history', { activities: BIG_ACTIVITIES, batch: 1000 });
  });

  after(async () => {
    await ui?.close();
    await host?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a run started during the test shows its progress bar advancing to the end', async () => {
    await start('progressRun', 'statements-live', { total: 400, batch: 10, delayMs: 40 });
    await page.goto(`${dashboard.url}#/instances/statements-live`);
    const done = async (): Promise<number> =>
      Number(await page.getAttribute('[data-testid=run-progress]', 'data-done'));

    const first = await waitFor('some progress', async () => {
      const value = await done();
      return value > 0 && value < 400 ? value : undefined;
    });
    await waitFor('the bar to advance', async () => (await done()) > first);
    await waitFor('a rate and an ETA', async () =>
      /\/s$/.test((await page.textContent('[data-testid=progress-rate]')) ?? ''),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'live-run.png') });

    await waitFor(
      'the run to complete',
      async () => (await page.textContent('.view-header .badge')) === 'Completed',
      60_000,
    );
    assert.equal(await done(), 400);
    await waitFor('the failure sample', async () =>
      (await page.textContent('[aria-label=Failures]'))?.includes('ledger does not balance'),
    );
  });

  test('the list shows real instances and filters them by status and name', async () => {
    await start('waitForApproval', 'approval-1', {});
    await waitFor('approval-1 running', async () => (await statusOf('approval-1')) === 'Running');
    await page.goto(`${dashboard.url}#/?status=Running&name=approval`);
    await waitFor('only the waiting instance', async () => {
      const ids = await rowIds(page);
      return ids.length === 1 && ids[0] === 'approval-1';
    });
  });

  test('terminate from the UI ends the instance', async () => {
    await start('waitForApproval', 'approval-2', {});
    await waitFor('approval-2 running', async () => (await statusOf('approval-2')) === 'Running');
    await page.goto(`${dashboard.url}#/instances/approval-2`);
    await page.click('[data-testid=action-terminate]');
    await page.fill('[data-testid=action-dialog] input', 'not needed');
    await page.click('[data-testid=action-dialog] button[type=submit]');
    await waitFor(
      'Terminated in the UI',
      async () => (await page.textContent('.view-header .badge')) === 'Terminated',
      20_000,
    );
    assert.equal(await statusOf('approval-2'), 'Terminated');
  });

  test('raise event from the UI lets a waiting instance finish', async () => {
    await page.goto(`${dashboard.url}#/instances/approval-1`);
    await page.click('[data-testid=action-raiseEvent]');
    await page.fill('[data-testid=action-dialog] input', 'approve');
    await page.fill('[data-testid=action-dialog] textarea', '{"by": "browser test"}');
    await page.click('[data-testid=action-dialog] button[type=submit]');
    await waitFor('Completed', async () => (await statusOf('approval-1')) === 'Completed', 20_000);
  });

  test('a parent links to its children and a child back to its parent', async () => {
    await start('parentRun', 'parent-1', { total: 20, batch: 10, delayMs: 5 });
    await waitFor('parent-1 complete', async () => (await statusOf('parent-1')) === 'Completed', 30_000);
    await page.goto(`${dashboard.url}#/instances/parent-1`);
    await page.click('a[href="#/instances/parent-1%3Achild%3A1"]');
    await waitFor(
      'the child',
      async () => (await page.textContent('[data-testid=detail-id]')) === 'parent-1:child:1',
    );
    await waitFor(
      'the parent link',
      async () => (await page.$('.facts a[href="#/instances/parent-1"]')) !== null,
    );
  });

  test('a failed orchestration shows its reason', async () => {
    await start('alwaysFails', 'failing-1', {});
    await waitFor('failing-1 failed', async () => (await statusOf('failing-1')) === 'Failed', 20_000);
    await page.goto(`${dashboard.url}#/instances/failing-1`);
    await waitFor('the reason', async () =>
      (await page.textContent('[data-testid=failure-reason]'))?.includes(
        'the ledger service refused the period',
      ),
    );
  });

  test('a history of more than 10,000 events opens without freezing', async () => {
    await waitFor(
      'the big run to complete',
      async () => (await statusOf('big-history')) === 'Completed',
      90_000,
    );
    const started = Date.now();
    await page.goto(`${dashboard.url}#/instances/big-history?tab=history`);
    const count = await waitFor(
      'the event count',
      async () => {
        const text = (await page.textContent('[data-testid=history-count]')) ?? '';
        const n = Number(text.replace(/[^0-9]/g, ''));
        return n > 0 ? n : undefined;
      },
      30_000,
    );
    const openedMs = Date.now() - started;
    assert.ok(count > 10_000, `${count} events`);
    const rendered = await page.locator('[data-testid=history-list] [role=row]').count();
    assert.ok(rendered < 100, `rendered ${rendered} rows`);

    const t0 = Date.now();
    await page.evaluate(() => 1);
    assert.ok(Date.now() - t0 < 1000, 'the page answers at once');
    await page.focus('[data-testid=history-list]');
    await page.keyboard.press('End');
    await waitFor(
      'the last event',
      async () => (await page.textContent('[data-testid=history-list]'))?.includes('ExecutionCompleted'),
      5_000,
    );

    await page.click('[data-testid=tab-timeline]');
    await waitFor(
      'the timeline',
      async () => (await page.textContent('[data-testid=gantt]'))?.includes('10,000 spans'),
      10_000,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'live-timeline.png') });
    assert.ok(openedMs < 20_000, `opening took ${openedMs} ms`);
  });

  test('no script error happened in the page', () => {
    assert.deepEqual(errors, []);
  });
});
