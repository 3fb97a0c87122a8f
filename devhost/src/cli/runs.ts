// `devhost runs ...`: the operator CLI over the orchestrator's run API, with a token from the local
// issuer, the way an operator in Azure would call it with `az account get-access-token`.
import { parseArgs } from 'node:util';

import { loadRegistrations } from '../identity/index.js';
import {
  cachedOperatorToken,
  createRunApiClient,
  OperatorTokenError,
  RunApiError,
  type RunApiClient,
  type RunStatus,
  type StartRunRequest,
  watchRun,
} from '../operator/index.js';

export const RUNS_USAGE = `Usage: devhost runs <command> [options]

Commands:
  start --job <job> [--period YYYY-MM] [--max-parallel N] [--chunk-size N]
        [--item <id>]... [--idempotency-key <key>] [--watch]
  watch <id>               live progress until the run ends
  get <id>                 the run document (JSON)
  list [--status <s>] [--from <iso>] [--to <iso>] [--top N] [--continuation-token <t>]
  cancel <id>
  retry-failed <id> [--idempotency-key <key>] [--watch]
  token [--scope <scope>]  print an operator access token (like az account get-access-token),
                           e.g. curl -H "Authorization: Bearer $(devhost runs token)" ...

Options:
  --orchestrator <url>     run API origin (default http://127.0.0.1:7071, through Easy Auth)
  --issuer <url>           local Entra issuer (default http://127.0.0.1:7075)
  --data <dir>             data folder holding the operator secret (default .devhost, or $DEVHOST_DATA)
  --interval <ms>          poll interval of watch (default 1000)
  --json                   print JSON instead of text
`;

export interface RunsIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (progress redrawn in place). */
  interactive: boolean;
  /** Ends a watch early (Ctrl+C); the run itself goes on. */
  signal?: AbortSignal;
}

const OPTIONS = {
  job: { type: 'string' },
  period: { type: 'string' },
  'max-parallel': { type: 'string' },
  'chunk-size': { type: 'string' },
  item: { type: 'string', multiple: true },
  'idempotency-key': { type: 'string' },
  watch: { type: 'boolean', default: false },
  status: { type: 'string' },
  top: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'continuation-token': { type: 'string' },
  orchestrator: { type: 'string', default: 'http://127.0.0.1:7071' },
  issuer: { type: 'string', default: 'http://127.0.0.1:7075' },
  data: { type: 'string' },
  interval: { type: 'string', default: '1000' },
  json: { type: 'boolean', default: false },
  scope: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Runs `devhost runs <argv>` (argv is what follows `runs`) and resolves with the exit code:
 * 0 done (a watched run completed), 1 failed (or the watched run did not complete), 2 usage.
 */
export async function runRunsCommand(argv: string[], io: RunsIo = defaultIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${RUNS_USAGE}`);
      return 2;
    }
    if (error instanceof RunApiError || error instanceof OperatorTokenError) {
      io.stderr(`devhost runs: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function dispatch(argv: string[], io: RunsIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, id, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout(RUNS_USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);

  const registrations = loadRegistrations();
  const getToken = cachedOperatorToken({
    issuerUrl: values.issuer,
    scope: values.scope ?? `${registrations.orchestratorApi.identifierUri}/.default`,
    dataDir: values.data ?? process.env.DEVHOST_DATA ?? '.devhost',
  });
  const client = createRunApiClient({ baseUrl: values.orchestrator, getToken });
  const intervalMs = positiveInt(values.interval, '--interval') ?? 1000;
  const print = (run: RunStatus, text: string): void =>
    io.stdout(values.json ? `${JSON.stringify(run, null, 2)}\n` : text);
  const watch = async (runId: string): Promise<number> => {
    const final = await watchRun(client, runId, {
      write: io.stdout,
      interactive: io.interactive && !values.json,
      intervalMs,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    return final.status === 'completed' ? 0 : 1;
  };
  const needId = (): string => {
    if (id === undefined || id === '') throw new UsageError(`devhost runs ${command} needs a run id.`);
    return id;
  };

  switch (command) {
    case 'start': {
      if (id !== undefined) throw new UsageError(`Unexpected argument: ${id}`);
      const run = await client.start(startRequest(values), keyOption(values['idempotency-key']));
      print(run, `started ${run.id} (${run.job} ${run.period}, ${run.status})\n`);
      return values.watch ? watch(run.id) : 0;
    }
    case 'watch':
      return watch(needId());
    case 'get': {
      const run = await client.get(needId());
      io.stdout(`${JSON.stringify(run, null, 2)}\n`);
      return 0;
    }
    case 'list':
      return list(client, values, io);
    case 'cancel':
      await client.cancel(needId());
      io.stdout(`cancel requested for ${needId()}\n`);
      return 0;
    case 'retry-failed': {
      const run = await client.retryFailed(needId(), keyOption(values['idempotency-key']));
      print(
        run,
        `started ${run.id}: retry of ${needId()} over ${run.progress.total || 'its failed'} items\n`,
      );
      return values.watch ? watch(run.id) : 0;
    }
    case 'token':
      if (id !== undefined) throw new UsageError(`Unexpected argument: ${id}`);
      io.stdout(`${await getToken()}\n`);
      return 0;
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function startRequest(values: Values): StartRunRequest {
  if (!values.job) throw new UsageError('devhost runs start needs --job, e.g. --job statements.');
  const request: StartRunRequest = { job: values.job };
  if (values.period !== undefined) request.period = values.period;
  const maxParallel = positiveInt(values['max-parallel'], '--max-parallel');
  if (maxParallel !== undefined) request.maxParallel = maxParallel;
  const chunkSize = positiveInt(values['chunk-size'], '--chunk-size');
  if (chunkSize !== undefined) request.chunkSize = chunkSize;
  if (values.item?.length) request.itemIds = values.item;
  return request;
}

async function list(client: RunApiClient, values: Values, io: RunsIo): Promise<number> {
  const query: Record<string, string> = {};
  if (values.status) query.status = values.status;
  if (values.top) query.top = String(positiveInt(values.top, '--top'));
  if (values.from) query.from = values.from;
  if (values.to) query.to = values.to;
  if (values['continuation-token']) query.continuationToken = values['continuation-token'];
  const page = await client.list(query);
  if (values.json) {
    io.stdout(`${JSON.stringify(page, null, 2)}\n`);
    return 0;
  }
  if (page.runs.length === 0) io.stdout('no runs\n');
  for (const run of page.runs) {
    const { succeeded, failed, total } = run.progress;
    io.stdout(
      `${run.id}  ${run.status.padEnd(10)} ${run.job} ${run.period}  ${succeeded}/${total} ok, ${failed} failed  ${run.createdAt}\n`,
    );
  }
  if (page.continuationToken) io.stdout(`more: --continuation-token ${page.continuationToken}\n`);
  return 0;
}

function keyOption(key: string | undefined): { idempotencyKey?: string } {
  return key ? { idempotencyKey: key } : {};
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${flag} must be a positive integer, got "${value}".`);
  return number;
}

function defaultIo(): RunsIo {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.error('\nstopped watching; the run goes on');
    controller.abort();
  });
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    interactive: process.stdout.isTTY === true,
    signal: controller.signal,
  };
}
