// The smoke checks against a deployed system, in order, each reported as passed, failed or skipped.
import type { SmokeOptions } from './args.js';
import type { TokenSource } from './token.js';

export type CheckOutcome = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  name: string;
  outcome: CheckOutcome;
  detail: string;
}

export interface SmokeReport {
  checks: CheckResult[];
  runId?: string;
  passed: number;
  failed: number;
  skipped: number;
}

export interface SmokeDependencies {
  tokens: TokenSource;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Called with one line per status change while a run is watched. */
  progress?: (line: string) => void;
}

const finished = new Set(['completed', 'failed', 'cancelled', 'terminated']);
const requestTimeoutMs = 30_000;

interface RunDocument {
  id?: unknown;
  status?: unknown;
  reason?: unknown;
  progress?: { total?: number; succeeded?: number; failed?: number };
}

const count = (value: unknown): string => (typeof value === 'number' ? String(value) : '?');

async function expectStatus(
  http: typeof fetch,
  name: string,
  url: URL,
  expected: number,
  init: RequestInit = {},
): Promise<CheckResult> {
  try {
    const response = await http(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    await response.body?.cancel();
    const ok = response.status === expected;
    return {
      name,
      outcome: ok ? 'passed' : 'failed',
      detail: `${init.method ?? 'GET'} ${url.pathname} -> ${response.status}${ok ? '' : ` (expected ${expected})`}`,
    };
  } catch (error) {
    return {
      name,
      outcome: 'failed',
      detail: `${init.method ?? 'GET'} ${url.href} failed: ${(error as Error).message}`,
    };
  }
}

function describeRun(run: RunDocument): string {
  const progress = run.progress ?? {};
  const counts = `${count(progress.succeeded)} succeeded, ${count(progress.failed)} failed of ${count(progress.total)}`;
  return `${String(run.status)} (${counts})`;
}

async function readJson(response: Response): Promise<RunDocument> {
  const body = await response.json();
  return typeof body === 'object' && body !== null ? body : {};
}

interface Context {
  options: SmokeOptions;
  http: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  progress: ((line: string) => void) | undefined;
}

/** The checks that need no token: anonymous health endpoints and 401 without a token. */
async function anonymousChecks({ options, http }: Context): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  if (options.worker) {
    const health = new URL('/api/health', options.worker);
    checks.push(await expectStatus(http, 'worker health is anonymous', health, 200));
    const job = encodeURIComponent(options.job);
    const process = new URL(`/api/jobs/${job}/items/smoke-check/process`, options.worker);
    checks.push(
      await expectStatus(http, 'worker refuses a call without a token', process, 401, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'smoke-check' },
        body: JSON.stringify({ runId: 'smoke-check', period: options.period ?? '2000-01' }),
      }),
    );
  } else {
    const detail = 'no --worker given';
    checks.push({ name: 'worker health is anonymous', outcome: 'skipped', detail });
    checks.push({ name: 'worker refuses a call without a token', outcome: 'skipped', detail });
  }
  const health = new URL('/api/health', options.orchestrator);
  checks.push(await expectStatus(http, 'run API health is anonymous', health, 200));
  const runs = new URL('/api/runs', options.orchestrator);
  checks.push(await expectStatus(http, 'run API refuses a call without a token', runs, 401));
  return checks;
}

async function acquireToken(
  options: SmokeOptions,
  tokens: TokenSource,
): Promise<CheckResult & { token?: string }> {
  const name = 'token for the run API';
  if (!options.resource) {
    const detail =
      'no --resource given and ORCHESTRATOR_API_URI is not set (azd env get-value ORCHESTRATOR_API_URI)';
    return { name, outcome: 'failed', detail };
  }
  try {
    const token = await tokens.getToken(options.resource);
    return { name, outcome: 'passed', detail: `acquired for ${options.resource}`, token };
  } catch (error) {
    return { name, outcome: 'failed', detail: (error as Error).message };
  }
}

async function startRun(
  { options, http }: Context,
  token: string,
): Promise<CheckResult & { runId?: string }> {
  const name = 'start a run';
  const body = {
    job: options.job,
    ...(options.period ? { period: options.period } : {}),
    ...(options.itemIds ? { itemIds: options.itemIds } : {}),
  };
  try {
    const response = await http(new URL('/api/runs', options.orchestrator), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const run = await readJson(response).catch((): RunDocument => ({}));
    if ((response.status !== 202 && response.status !== 200) || typeof run.id !== 'string') {
      const hint = response.status === 403 ? ' (does your account hold Runs.Operate on the run API?)' : '';
      return { name, outcome: 'failed', detail: `POST /api/runs -> ${response.status}${hint}` };
    }
    return {
      name,
      outcome: 'passed',
      detail: `POST /api/runs -> ${response.status}, run ${run.id}`,
      runId: run.id,
    };
  } catch (error) {
    return { name, outcome: 'failed', detail: `POST /api/runs failed: ${(error as Error).message}` };
  }
}

async function pollRun(
  { options, http }: Context,
  token: string,
  runId: string,
): Promise<RunDocument | undefined> {
  try {
    const response = await http(new URL(`/api/runs/${encodeURIComponent(runId)}`, options.orchestrator), {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    if (response.ok) return await readJson(response);
    await response.body?.cancel();
  } catch {
    // A failed poll is retried until the deadline; the last status seen is what gets reported.
  }
  return undefined;
}

async function watchRun(context: Context, token: string, runId: string): Promise<CheckResult> {
  const name = 'run finishes';
  const deadline = context.now() + context.options.timeoutMs;
  let last = '';
  for (;;) {
    const run = await pollRun(context, token, runId);
    if (run) {
      const line = describeRun(run);
      if (line !== last) context.progress?.(`run ${runId}: ${line}`);
      last = line;
      if (finished.has(String(run.status))) {
        const ok = run.status === 'completed';
        const reason = !ok && typeof run.reason === 'string' ? `: ${run.reason}` : '';
        return { name, outcome: ok ? 'passed' : 'failed', detail: `${line}${reason}` };
      }
    }
    if (context.now() >= deadline) {
      const detail = `still ${last || 'unknown'} after ${context.options.timeoutMs / 1000} s`;
      return { name, outcome: 'failed', detail };
    }
    await context.sleep(context.options.intervalMs);
  }
}

function summarize(checks: CheckResult[], runId: string | undefined): SmokeReport {
  const countOf = (outcome: CheckOutcome) => checks.filter((check) => check.outcome === outcome).length;
  return {
    checks,
    ...(runId ? { runId } : {}),
    passed: countOf('passed'),
    failed: countOf('failed'),
    skipped: countOf('skipped'),
  };
}

/** Runs every check in order; a failed token or start ends the sequence, since later checks need it. */
export async function runSmoke(options: SmokeOptions, deps: SmokeDependencies): Promise<SmokeReport> {
  const context: Context = {
    options,
    http: deps.fetch ?? fetch,
    sleep: deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    now: deps.now ?? Date.now,
    progress: deps.progress,
  };

  const checks = await anonymousChecks(context);

  const { token, ...tokenCheck } = await acquireToken(options, deps.tokens);
  checks.push(tokenCheck);
  if (!token) return summarize(checks, undefined);

  const { runId, ...startCheck } = await startRun(context, token);
  checks.push(startCheck);
  if (!runId) return summarize(checks, undefined);

  checks.push(await watchRun(context, token, runId));
  return summarize(checks, runId);
}

export function formatReport(report: SmokeReport): string {
  const marks: Record<CheckOutcome, string> = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' };
  const lines = report.checks.map((check) => `${marks[check.outcome]} ${check.name}: ${check.detail}`);
  lines.push(`smoke: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return lines.join('\n');
}
