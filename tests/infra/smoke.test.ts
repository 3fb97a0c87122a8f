import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { parseSmokeArgs, UsageError, type SmokeOptions } from '../../scripts/smoke/args.js';
import { formatReport, runSmoke } from '../../scripts/smoke/checks.js';
import { azureCliTokenSource, TokenError } from '../../scripts/smoke/token.js';

const TOKEN = 'test-token-value';
const tokens = { getToken: () => Promise.resolve(TOKEN) };
const noWait = { sleep: () => Promise.resolve() };

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: URL }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`) };
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

const authorized = (request: IncomingMessage) => request.headers.authorization === `Bearer ${TOKEN}`;

/** A worker behind Easy Auth: health is anonymous, everything else needs a token. */
const worker: Handler = (request, response) => {
  if (request.url === '/api/health') return send(response, 200, { status: 'ok' });
  send(response, 401);
};

/** A run API whose run reports running twice, then completed. */
function orchestrator(finalStatus = 'completed'): { handler: Handler; started: unknown[] } {
  const started: unknown[] = [];
  let polls = 0;
  const handler: Handler = (request, response) => {
    if (request.url === '/api/health') return send(response, 200, { status: 'ok' });
    if (!authorized(request)) return send(response, 401);
    if (request.method === 'POST' && request.url === '/api/runs') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        started.push(JSON.parse(body));
        send(response, 202, { id: 'run-1', status: 'pending' });
      });
      return;
    }
    if (request.url === '/api/runs/run-1') {
      polls += 1;
      const status = polls < 3 ? 'running' : finalStatus;
      const progress = { total: 3, succeeded: Math.min(polls, 3), failed: 0 };
      return send(response, 200, {
        id: 'run-1',
        status,
        progress,
        ...(status === 'failed' ? { reason: 'circuit open' } : {}),
      });
    }
    send(response, 404);
  };
  return { handler, started };
}

const servers: Server[] = [];
let workerUrl: URL;
let brokenWorkerUrl: URL;

before(async () => {
  const started = await Promise.all([
    listen(worker),
    listen((_request, response) => send(response, 200, {})),
  ]);
  servers.push(...started.map((entry) => entry.server));
  [workerUrl, brokenWorkerUrl] = started.map((entry) => entry.url) as [URL, URL];
});

after(() => {
  for (const server of servers) server.close();
});

async function withOrchestrator(finalStatus?: string) {
  const fake = orchestrator(finalStatus);
  const { server, url } = await listen(fake.handler);
  servers.push(server);
  return { url, started: fake.started };
}

function options(overrides: Partial<SmokeOptions>): SmokeOptions {
  const parsed = parseSmokeArgs([
    '--orchestrator',
    'http://127.0.0.1:1',
    '--resource',
    'api://tenant/batch-orchestrator',
  ]);
  assert.equal(parsed.help, false);
  return { ...(parsed as { options: SmokeOptions }).options, intervalMs: 1, ...overrides };
}

test('the arguments need --orchestrator and an absolute URL', () => {
  assert.throws(() => parseSmokeArgs([]), UsageError);
  assert.throws(
    () => parseSmokeArgs(['--orchestrator', 'func-orch']),
    /--orchestrator must be an absolute URL/,
  );
  assert.throws(() => parseSmokeArgs(['--orchestrator', 'ftp://x']), /http\(s\) URL/);
});

test('unknown flags, bad periods and empty item lists are usage errors', () => {
  const base = ['--orchestrator', 'https://o.example'];

  assert.throws(() => parseSmokeArgs([...base, '--orchestrater', 'x']), UsageError);
  assert.throws(() => parseSmokeArgs([...base, '--period', '2026-13']), /--period must be YYYY-MM/);
  assert.throws(() => parseSmokeArgs([...base, '--items', ' , ']), /at least one item id/);
  assert.throws(() => parseSmokeArgs([...base, '--timeout', '0']), /positive number of seconds/);
});

test('the resource defaults to ORCHESTRATOR_API_URI and items split on commas', () => {
  const parsed = parseSmokeArgs(
    ['--orchestrator', 'https://o.example', '--items', 'a, b,c', '--timeout', '2'],
    {
      ORCHESTRATOR_API_URI: 'api://t/o',
    },
  );

  assert.equal(parsed.help, false);
  const { options: parsedOptions } = parsed as { options: SmokeOptions };
  assert.equal(parsedOptions.resource, 'api://t/o');
  assert.deepEqual(parsedOptions.itemIds, ['a', 'b', 'c']);
  assert.equal(parsedOptions.timeoutMs, 2000);
  assert.equal(parsedOptions.job, 'statements');
  assert.deepEqual(parseSmokeArgs(['--help']), { help: true });
});

test('a healthy system passes every check and the run is watched to completion', async () => {
  const { url, started } = await withOrchestrator();
  const lines: string[] = [];

  const report = await runSmoke(options({ orchestrator: url, worker: workerUrl, itemIds: ['a1'] }), {
    tokens,
    ...noWait,
    progress: (line) => lines.push(line),
  });

  assert.deepEqual(
    report.checks.map((check) => [check.name, check.outcome]),
    [
      ['worker health is anonymous', 'passed'],
      ['worker refuses a call without a token', 'passed'],
      ['run API health is anonymous', 'passed'],
      ['run API refuses a call without a token', 'passed'],
      ['token for the run API', 'passed'],
      ['start a run', 'passed'],
      ['run finishes', 'passed'],
    ],
  );
  assert.deepEqual(started, [{ job: 'statements', itemIds: ['a1'] }]);
  assert.equal(report.runId, 'run-1');
  assert.deepEqual(lines, [
    'run run-1: running (1 succeeded, 0 failed of 3)',
    'run run-1: running (2 succeeded, 0 failed of 3)',
    'run run-1: completed (3 succeeded, 0 failed of 3)',
  ]);
});

test('a worker that answers without a token fails the 401 check', async () => {
  const { url } = await withOrchestrator();

  const report = await runSmoke(options({ orchestrator: url, worker: brokenWorkerUrl }), {
    tokens,
    ...noWait,
  });

  const check = report.checks.find((entry) => entry.name === 'worker refuses a call without a token');
  assert.equal(check?.outcome, 'failed');
  assert.match(check?.detail ?? '', /-> 200 \(expected 401\)/);
});

test('a failed run is a failed check with its reason', async () => {
  const { url } = await withOrchestrator('failed');

  const report = await runSmoke(options({ orchestrator: url }), { tokens, ...noWait });

  assert.deepEqual(report.checks.at(-1), {
    name: 'run finishes',
    outcome: 'failed',
    detail: 'failed (3 succeeded, 0 failed of 3): circuit open',
  });
});

test('a run still going at the deadline fails with its last status', async () => {
  const { url } = await withOrchestrator();
  let clock = 0;

  const report = await runSmoke(options({ orchestrator: url, timeoutMs: 1 }), {
    tokens,
    ...noWait,
    now: () => (clock += 1),
  });

  assert.match(
    report.checks.at(-1)?.detail ?? '',
    /^still running \(1 succeeded, 0 failed of 3\) after 0\.001 s$/,
  );
});

test('without a worker URL its checks are skipped, and the report counts them', async () => {
  const { url } = await withOrchestrator();

  const report = await runSmoke(options({ orchestrator: url }), { tokens, ...noWait });

  assert.equal(report.skipped, 2);
  assert.match(formatReport(report), /^smoke: 5 passed, 0 failed, 2 skipped$/m);
  assert.doesNotMatch(formatReport(report) + JSON.stringify(report), new RegExp(TOKEN));
});

test('a missing Azure CLI is explained and stops before starting a run', async () => {
  const { url, started } = await withOrchestrator();
  const cli = azureCliTokenSource('az-not-installed-for-this-test');

  await assert.rejects(cli.getToken('api://x'), TokenError);
  const report = await runSmoke(options({ orchestrator: url }), { tokens: cli, ...noWait });

  const check = report.checks.at(-1);
  assert.equal(check?.name, 'token for the run API');
  assert.match(check?.detail ?? '', /not installed or not on PATH.*az login.*SMOKE_TOKEN/);
  assert.deepEqual(started, []);
});

test('a 403 on start hints at the missing Runs.Operate role', async () => {
  const { server, url } = await listen((request, response) => {
    if (request.url === '/api/health') return send(response, 200);
    send(response, authorized(request) ? 403 : 401, { status: 403 });
  });
  servers.push(server);

  const report = await runSmoke(options({ orchestrator: url }), { tokens, ...noWait });

  assert.match(report.checks.at(-1)?.detail ?? '', /-> 403 \(does your account hold Runs\.Operate/);
});
