// A stand-in for the orchestrator's run API (`GET /api/runs`, `GET /api/runs/{id}`) that requires
// one bearer token, for the dashboard's Runs view.
import { createServer } from 'node:http';

import { listenOnLoopback } from '../../support/loopback.js';

export interface FakeRunApi {
  baseUrl: string;
  /** Authorization headers seen, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startFakeRunApi(token: string, runs: Record<string, unknown>[]): Promise<FakeRunApi> {
  const authorizations: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    authorizations.push(req.headers.authorization);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { title: 'Unauthorized' });
    if (url.pathname === '/api/runs') {
      const status = url.searchParams.get('status');
      return send(200, { runs: runs.filter((r) => !status || r.status === status), continuationToken: null });
    }
    const run = runs.find((r) => url.pathname === `/api/runs/${encodeURIComponent(String(r.id))}`);
    return run ? send(200, run) : send(404, { title: 'Not found' });
  });
  const { url, close } = await listenOnLoopback(server);
  return { baseUrl: url, authorizations, close };
}

/** A run document as the run API returns it. */
export function fakeRun(
  id: string,
  status: string,
  succeeded: number,
  total: number,
  failed = 0,
): Record<string, unknown> {
  const at = new Date().toISOString();
  return {
    id,
    job: 'statements',
    period: '2026-11',
    trigger: 'api',
    status,
    createdAt: at,
    updatedAt: at,
    progress: {
      total,
      succeeded,
      failed,
      skipped: 0,
      retries: 0,
      throttledWaits: 0,
      percent: total ? ((succeeded + failed) / total) * 100 : 0,
    },
    failures: {
      count: failed,
      sample: failed ? [{ itemId: 'acct-1', status: 422, reason: 'ledger does not balance' }] : [],
    },
  };
}
