import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { decodeJwt } from 'jose';

import { runRunsCommand } from '../../../devhost/src/cli/runs.js';
import {
  buildLocalPolicy,
  type EasyAuthProxy,
  startEasyAuthProxy,
} from '../../../devhost/src/easyauth/index.js';
import {
  createRunApiClient,
  formatDuration,
  getOperatorToken,
  OperatorTokenError,
  renderProgress,
  RunApiError,
  type RunApiClient,
  type RunStatus,
  watchRun,
} from '../../../devhost/src/operator/index.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { registrations, startTestIdentity, tempDataDir } from '../identity/helpers.js';
import { startFakeRunApi } from './fake-run-api.js';

const SCOPE = 'api://batch-orchestrator/.default';

describe('operator access through the orchestrator Easy Auth proxy', () => {
  let identity: Awaited<ReturnType<typeof startTestIdentity>>;
  let api: Awaited<ReturnType<typeof startFakeRunApi>>;
  let proxy: EasyAuthProxy;
  let client: RunApiClient;

  before(async () => {
    identity = await startTestIdentity();
    api = await startFakeRunApi();
    proxy = await startEasyAuthProxy({
      port: 0,
      target: api.url,
      policy: buildLocalPolicy('orchestrator', registrations, identity.identity.url),
      logger: recordingLogger().logger,
    });
    client = createRunApiClient({
      baseUrl: proxy.url,
      getToken: () =>
        getOperatorToken({ issuerUrl: identity.identity.url, scope: SCOPE, dataDir: identity.dataDir }),
    });
  });
  beforeEach(() => {
    api.calls.length = 0;
  });
  after(async () => {
    await proxy.close();
    await api.close();
    await identity.stop();
  });

  test('getOperatorToken gets an orchestrator API token with the operator roles, from an origin or an issuer URL', async () => {
    for (const issuerUrl of [identity.identity.url, identity.identity.issuer]) {
      const claims = decodeJwt(
        await getOperatorToken({ issuerUrl, scope: SCOPE, dataDir: identity.dataDir }),
      );
      assert.equal(claims.aud, registrations.orchestratorApi.clientId);
      assert.equal(claims.azp, registrations.operator.clientId);
      assert.deepEqual(claims.roles, ['Runs.Read', 'Runs.Operate']);
    }
  });

  test('getOperatorToken without a data folder finds the in-process issuer and reuses its token', async () => {
    const before = identity.identity.stats().tokenRequests;
    const first = await getOperatorToken({ issuerUrl: identity.identity.url, scope: SCOPE });
    const again = await Promise.all(
      [1, 2, 3].map(() => getOperatorToken({ issuerUrl: identity.identity.url, scope: SCOPE })),
    );

    assert.ok(again.every((token) => token === first));
    // The earlier test already asked with the same (resolved) data folder, so at most one request.
    assert.ok(identity.identity.stats().tokenRequests <= before + 1);
  });

  test('getOperatorToken explains a data folder devhost never initialised', async () => {
    const empty = await tempDataDir();
    try {
      await assert.rejects(
        getOperatorToken({ issuerUrl: identity.identity.url, scope: SCOPE, dataDir: empty.dir }),
        (error: Error) => error instanceof OperatorTokenError && /start devhost once/.test(error.message),
      );
    } finally {
      await empty.remove();
    }
  });

  test('start sends the request and Idempotency-Key; the app sees the operator principal', async () => {
    const run = await client.start(
      { job: 'statements', period: '2026-11', maxParallel: 4 },
      { idempotencyKey: 'k-1' },
    );
    const call = api.calls[0];

    assert.equal(run.status, 'pending');
    assert.deepEqual(call?.body, { job: 'statements', period: '2026-11', maxParallel: 4 });
    assert.equal(call?.headers['idempotency-key'], 'k-1');
    assert.equal(call?.headers['x-ms-client-principal-id'], registrations.operator.objectId);
  });

  test('a problem+json answer becomes a RunApiError with status and detail', async () => {
    await assert.rejects(client.get('run-missing'), (error: Error) => {
      assert.ok(error instanceof RunApiError);
      assert.equal(error.status, 404);
      assert.equal(error.detail, 'No run run-missing.');
      return true;
    });
  });

  test('no answer becomes a RunApiError with status 0', async () => {
    const offline = createRunApiClient({
      baseUrl: 'http://127.0.0.1:1',
      getToken: () => Promise.resolve('t'),
    });
    await assert.rejects(
      offline.list(),
      (error: Error) => error instanceof RunApiError && error.status === 0,
    );
  });

  test('watchRun prints one line per change and resolves with the completed run', async () => {
    const { id } = await client.start({ job: 'statements' });
    const lines: string[] = [];
    const final = await watchRun(client, id, {
      write: (text) => lines.push(text),
      intervalMs: 5,
      interactive: false,
    });

    assert.equal(final.status, 'completed');
    assert.equal(lines.length, 4);
    assert.ok(lines.every((line) => line.endsWith('\n') && !line.includes('\r')));
    assert.match(lines.at(-1) ?? '', /completed .*\[#{24}\] 100% 8\/8 ok 7 failed 1 retries 4/);
  });

  test('watchRun redraws in place when interactive and rides out a 503', async () => {
    const { id } = await client.start({ job: 'statements' });
    api.failNextGets.count = 1;
    let output = '';
    const final = await watchRun(client, id, {
      write: (text) => (output += text),
      intervalMs: 5,
      interactive: true,
    });

    assert.equal(final.status, 'completed');
    assert.equal(output.split('\r').length - 1, 4);
    assert.ok(output.includes('\u001b[K'));
    assert.ok(output.endsWith('\n'));
    assert.ok(output.includes('█'));
  });

  test('watchRun stops when its signal aborts and returns the last status', async () => {
    const { id } = await client.start({ job: 'statements' });
    const controller = new AbortController();
    const final = await watchRun(client, id, {
      write: () => controller.abort(),
      intervalMs: 60_000,
      interactive: false,
      signal: controller.signal,
    });
    assert.equal(final.status, 'running');
  });

  describe('devhost runs CLI', () => {
    const cli = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
      let out = '';
      let err = '';
      const common = [
        '--orchestrator',
        proxy.url,
        '--issuer',
        identity.identity.url,
        '--data',
        identity.dataDir,
        '--interval',
        '5',
      ];
      const code = await runRunsCommand([...args, ...common], {
        stdout: (text) => (out += text),
        stderr: (text) => (err += text),
        interactive: false,
      });
      return { code, out, err };
    };

    test('start --watch starts the run with the given options and follows it to the end', async () => {
      const result = await cli(
        'start',
        '--job',
        'statements',
        '--period',
        '2026-11',
        '--max-parallel',
        '8',
        '--chunk-size',
        '50',
        '--watch',
      );
      assert.equal(result.code, 0, result.err);
      assert.match(result.out, /^started run-\d+ \(statements 2026-11, pending\)\n/);
      assert.match(result.out, /completed .* 100% 8\/8/);
      assert.deepEqual(api.calls[0]?.body, {
        job: 'statements',
        period: '2026-11',
        maxParallel: 8,
        chunkSize: 50,
      });
    });

    test('get prints the run document as JSON', async () => {
      const { id } = await client.start({ job: 'statements' });
      const result = await cli('get', id);
      assert.equal(result.code, 0);
      assert.equal((JSON.parse(result.out) as RunStatus).id, id);
    });

    test('list, cancel and retry-failed call their routes', async () => {
      const { id } = await client.start({ job: 'statements' });
      assert.match((await cli('list')).out, new RegExp(`${id}\\s+pending`));
      assert.equal((await cli('cancel', id)).out, `cancel requested for ${id}\n`);
      const retry = await cli('retry-failed', id, '--json');
      assert.equal((JSON.parse(retry.out) as RunStatus).retryOf, id);
      assert.deepEqual(
        api.calls.map((call) => `${call.method} ${call.url}`),
        [
          'POST /api/runs',
          'GET /api/runs',
          `POST /api/runs/${id}/cancel`,
          `POST /api/runs/${id}/retry-failed`,
        ],
      );
    });

    test('token prints an operator access token for the run API, or for --scope', async () => {
      const run = decodeJwt((await cli('token')).out.trim());
      const worker = decodeJwt((await cli('token', '--scope', 'api://batch-worker/.default')).out.trim());
      assert.equal(run.aud, registrations.orchestratorApi.clientId);
      assert.equal(worker.aud, registrations.worker.clientId);
    });

    test('an unknown run exits 1 with the API detail', async () => {
      const result = await cli('get', 'run-none');
      assert.equal(result.code, 1);
      assert.match(result.err, /404.*No run run-none/);
    });

    test('bad usage exits 2 with the usage text', async () => {
      for (const args of [
        ['start'],
        ['get'],
        ['frobnicate'],
        ['start', '--job', 'x', '--max-parallel', '0'],
      ]) {
        const result = await cli(...args);
        assert.equal(result.code, 2, args.join(' '));
        assert.match(result.err, /Usage: devhost runs/);
      }
    });
  });
});

describe('progress rendering', () => {
  const run: RunStatus = {
    id: 'statements-20261201T0200Z',
    job: 'statements',
    period: '2026-11',
    status: 'running',
    createdAt: '',
    updatedAt: '',
    progress: { total: 1000, succeeded: 480, failed: 20, retries: 7, throttledWaits: 0, percent: 50 },
    failures: { count: 20, sample: [] },
  };

  test('shows counts, rate and ETA', () => {
    const { text } = renderProgress(run, 25, { width: 10 });
    assert.equal(
      text,
      'statements-20261201T0200Z running   [#####-----]  50% 500/1000 ok 480 failed 20 retries 7 | 25.0/s ETA 20s',
    );
  });

  test('marks a total that may still grow and shows no percent or ETA for it', () => {
    const listing: RunStatus = {
      ...run,
      progress: { ...run.progress, total: 500, succeeded: 500, failed: 0, totalFinal: false },
    };
    const { text } = renderProgress(listing, 25, { width: 10 });
    assert.equal(
      text,
      'statements-20261201T0200Z running   [#########-]  ..% 500/500+ ok 500 failed 0 retries 7 | 25.0/s',
    );
  });

  test('the change key ignores rate and ETA', () => {
    assert.equal(renderProgress(run, 25).key, renderProgress(run, 3).key);
  });

  test('formats durations', () => {
    assert.deepEqual(
      [formatDuration(9.2), formatDuration(125), formatDuration(7322)],
      ['10s', '2m05s', '2h02m'],
    );
  });
});
