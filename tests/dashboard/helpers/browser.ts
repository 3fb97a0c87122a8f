// Browser-test plumbing: builds the front-end once per test process into a temporary folder (so a
// test always runs the current source), launches Debian's Chromium through playwright-core, and
// waits for conditions with deadlines instead of sleeping; opens a dashboard over a management API in it.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

import { type Dashboard, startDashboard } from '../../../devhost/src/dashboard/index.js';
import type { Logger } from '../../../devhost/src/log.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'dashboard');
const UI_ROOT = join(import.meta.dirname, '..', '..', '..', 'devhost', 'dashboard-ui');

/** Why browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (scripts/setup-system.sh installs it)`;
}

let built: Promise<string> | undefined;

/** Builds the UI with Vite into a temporary folder; resolves with that folder. */
export function buildUi(): Promise<string> {
  built ??= (async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'dashboard-ui-'));
    const { build } = await import('vite');
    await build({
      root: UI_ROOT,
      configFile: join(UI_ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    return outDir;
  })();
  return built;
}

export async function removeBuiltUi(): Promise<void> {
  if (built) await rm(await built, { recursive: true, force: true });
}

export async function launchBrowser(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens a page that fails the test on any request leaving this machine's loopback. */
export async function openPage(
  browser: Browser,
): Promise<{ page: Page; offsite: string[]; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  const offsite: string[] = [];
  // Script errors and CSP violations; failed API calls are expected in error-state tests.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost')
      return route.continue();
    offsite.push(url.toString());
    return route.abort();
  });
  return { page, offsite, errors, close: () => context.close() };
}

/** A dashboard serving the freshly built UI, and a Chromium page to drive it. */
export interface DashboardPage {
  dashboard: Dashboard;
  browser: Browser;
  page: Page;
  /** Requests that tried to leave loopback. */
  offsite: string[];
  /** Script errors and CSP violations. */
  errors: string[];
  uiDir: string;
  /** Closes the page, the browser and the dashboard, and removes the built UI. */
  close(): Promise<void>;
}

/** Builds the UI, starts a dashboard over `managementBaseUrl` on a free port, and opens a page. */
export async function openDashboardPage(options: {
  managementBaseUrl: string;
  systemKey: string;
  logger: Logger;
}): Promise<DashboardPage> {
  const uiDir = await buildUi();
  const dashboard = await startDashboard({ port: 0, ...options, uiDir });
  const browser = await launchBrowser();
  const { page, offsite, errors, close } = await openPage(browser);
  return {
    dashboard,
    browser,
    page,
    offsite,
    errors,
    uiDir,
    close: async () => {
      await close();
      await browser.close();
      await dashboard.close();
      await removeBuiltUi();
    },
  };
}

/** Polls `check` until it returns a value other than undefined, null or false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Instance ids of the list's rows, in order. */
export async function rowIds(page: Page): Promise<string[]> {
  // Element handles, unlike locators, do not wait for a row the next render replaced.
  const rows = await page.$$('[data-testid=instance-table] tbody tr');
  return Promise.all(rows.map(async (row) => (await row.getAttribute('data-instance-id')) ?? ''));
}
