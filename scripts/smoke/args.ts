// Command-line options of `npm run smoke`.
import { parseArgs } from 'node:util';

export interface SmokeOptions {
  orchestrator: URL;
  worker: URL | undefined;
  /** Application ID URI of the orchestrator's API registration, for `az account get-access-token`. */
  resource: string | undefined;
  job: string;
  period: string | undefined;
  itemIds: string[] | undefined;
  timeoutMs: number;
  intervalMs: number;
  json: boolean;
}

export const usage = `Usage: npm run smoke -- --orchestrator <url> [--worker <url>] [options]

Checks a deployed system: the worker answers 401 without a token and 200 on /api/health, the run
API answers 401 without a token, and a small run started with your Azure CLI token finishes.

  --orchestrator <url>   orchestrator app origin (azd env get-value ORCHESTRATOR_URL)
  --worker <url>         worker app origin (azd env get-value WORKER_URL); its checks are skipped without it
  --resource <uri>       run API identifier, api://... (default: $ORCHESTRATOR_API_URI)
  --job <name>           job to run (default: statements)
  --period <YYYY-MM>     billing period (default: the API's, the previous month)
  --items <id,id,...>    run only these item ids
  --timeout <seconds>    how long to watch the run (default: 600)
  --interval <seconds>   polling interval (default: 5)
  --json                 print the report as JSON
  --help                 show this text

The token comes from \`az account get-access-token --resource <uri>\` (run \`az login\` first), or
from $SMOKE_TOKEN when set. It is never printed.`;

/** A command line that cannot run; the message says what to change. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function parseUrl(flag: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new UsageError(
      `--${flag} must be an absolute URL such as https://func-orch-abc.azurewebsites.net, got ${JSON.stringify(value)}.`,
      { cause: error },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`--${flag} must be an http(s) URL, got ${JSON.stringify(value)}.`);
  }
  return url;
}

function parseSeconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--${flag} must be a positive number of seconds, got ${JSON.stringify(value)}.`);
  }
  return seconds * 1000;
}

/** Parses the arguments after `--`; `help: true` when the usage text was asked for. */
export function parseSmokeArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { help: true } | { help: false; options: SmokeOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        orchestrator: { type: 'string' },
        worker: { type: 'string' },
        resource: { type: 'string' },
        job: { type: 'string' },
        period: { type: 'string' },
        items: { type: 'string' },
        timeout: { type: 'string' },
        interval: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const values = parsed.values;
  if (values.help) return { help: true };

  if (!values.orchestrator) throw new UsageError('--orchestrator <url> is required.');
  if (values.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.period)) {
    throw new UsageError(`--period must be YYYY-MM, got ${JSON.stringify(values.period)}.`);
  }
  const itemIds = values.items
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (itemIds?.length === 0) throw new UsageError('--items needs at least one item id.');

  return {
    help: false,
    options: {
      orchestrator: parseUrl('orchestrator', values.orchestrator),
      worker: values.worker ? parseUrl('worker', values.worker) : undefined,
      resource: values.resource ?? (env.ORCHESTRATOR_API_URI || undefined),
      job: values.job ?? 'statements',
      period: values.period,
      itemIds,
      timeoutMs: parseSeconds('timeout', values.timeout, 600),
      intervalMs: parseSeconds('interval', values.interval, 5),
      json: values.json ?? false,
    },
  };
}
