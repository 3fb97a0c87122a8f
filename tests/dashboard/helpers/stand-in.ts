// The stand-in world of the dashboard's browser tests: a management API with seeded instances (one
// with a 10,002-event history), a dashboard over it, and a page in Chromium that records requests
// leaving loopback and script errors.
import { createLogger } from '../../../devhost/src/log.js';
import { type DashboardPage, openDashboardPage } from './browser.js';
import {
  type FakeInstance,
  fakeInstance,
  type FakeManagementApi,
  startFakeManagementApi,
} from './fake-management-api.js';

export const KEY = 'browser-test-system-key-9f8e7d6c5b4a';
export const quiet = createLogger({ write: () => {} });

/** 5,000 activities: 10,002 events in the full event stream. */
export function bigHistory(activities: number): unknown[] {
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

export function seed(): FakeInstance[] {
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

export interface StandIn extends DashboardPage {
  api: FakeManagementApi;
}

export async function startStandIn(): Promise<StandIn> {
  const api = await startFakeManagementApi(KEY, seed());
  const opened = await openDashboardPage({ managementBaseUrl: api.baseUrl, systemKey: KEY, logger: quiet });
  return {
    ...opened,
    api,
    close: async () => {
      await opened.close();
      await api.close();
    },
  };
}
