import type { Logger } from '../log.js';

export interface DashboardOptions {
  port: number;
  /** e.g. `http://127.0.0.1:7081/runtime/webhooks/durabletask`. */
  managementBaseUrl: string;
  /** Added server-side; never sent to the browser. */
  systemKey: string;
  /** The orchestrator's run API for the run view, when available. */
  runApi?: { baseUrl: string; getToken: () => Promise<string> };
  readOnly?: boolean;
  logger: Logger;
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

// Placeholder with the final signature; the dashboard part replaces it.
export function startDashboard(_options: DashboardOptions): Promise<Dashboard> {
  return Promise.reject(new Error('devhost: the dashboard is not built yet'));
}
