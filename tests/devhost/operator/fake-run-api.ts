import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import type { RunStatus } from '../../../devhost/src/operator/index.js';
import { listenOnLoopback } from '../../support/loopback.js';

export interface SeenCall {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * A stand-in for the orchestrator's run API on loopback: runs advance a quarter of their items on
 * every GET until they complete; `failNextGets` answers that many GETs with 503.
 */
export async function startFakeRunApi(): Promise<{
  url: string;
  calls: SeenCall[];
  runs: Map<string, RunStatus>;
  failNextGets: { count: number };
  close(): Promise<void>;
}> {
  const calls: SeenCall[] = [];
  const runs = new Map<string, RunStatus>();
  const failNextGets = { count: 0 };
  let next = 1;

  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json'): void => {
    res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
  };
  const problem = (res: ServerResponse, status: number, detail: string): void =>
    send(
      res,
      status,
      { type: 'about:blank', title: 'Not Found', status, detail },
      'application/problem+json',
    );
  const newRun = (job: string, period: string, total: number): RunStatus => {
    const run: RunStatus = {
      id: `run-${next++}`,
      job,
      period,
      status: 'pending',
      createdAt: '2026-12-03T09:00:00.000Z',
      updatedAt: '2026-12-03T09:00:00.000Z',
      progress: { total, succeeded: 0, failed: 0, retries: 0, throttledWaits: 0, percent: 0 },
      failures: { count: 0, sample: [] },
    };
    runs.set(run.id, run);
    return run;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const body = text ? (JSON.parse(text) as { job?: string; period?: string }) : undefined;
      calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://fake');
      const [, , , id, action] = url.pathname.split('/');
      const run = id ? runs.get(decodeURIComponent(id)) : undefined;

      if (req.method === 'POST' && url.pathname === '/api/runs') {
        return send(res, 202, newRun(body?.job ?? '', body?.period ?? '2026-11', 8));
      }
      if (req.method === 'GET' && url.pathname === '/api/runs')
        return send(res, 200, { runs: [...runs.values()], continuationToken: null });
      if (!run) return problem(res, 404, `No run ${id ?? ''}.`);
      if (req.method === 'GET' && action === undefined) {
        if (failNextGets.count > 0) {
          failNextGets.count -= 1;
          return problem(res, 503, 'busy');
        }
        const p = run.progress;
        const step = Math.max(1, p.total / 4);
        const failedStep = p.failed === 0 ? 1 : 0;
        p.failed += failedStep;
        p.succeeded = Math.min(p.total - p.failed, p.succeeded + step - failedStep);
        p.retries += 1;
        p.percent = Math.round(((p.succeeded + p.failed) / p.total) * 100);
        run.status = p.succeeded + p.failed >= p.total ? 'completed' : 'running';
        return send(res, 200, run);
      }
      if (req.method === 'POST' && action === 'cancel')
        return send(res, 202, { ...run, status: 'cancelling' });
      if (req.method === 'POST' && action === 'retry-failed') {
        const retry = newRun(run.job, run.period, run.progress.failed);
        retry.retryOf = run.id;
        return send(res, 202, retry);
      }
      return problem(res, 404, 'No such route.');
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, calls, runs, failNextGets, close };
}
