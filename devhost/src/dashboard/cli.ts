// `devhost dashboard`: the dashboard alone, pointed at any function app's management API.
import { parseArgs } from 'node:util';

import { createLogger } from '../log.js';
import { getOperatorToken } from '../operator/index.js';
import { startDashboard } from './index.js';

export const DASHBOARD_USAGE = `Usage: devhost dashboard --management-url <url> --key-env <NAME> [options]

Serves the Durable Functions dashboard for one function app's Durable HTTP management API.

  --management-url <url>   e.g. https://<app>.azurewebsites.net/runtime/webhooks/durabletask
  --key-env <NAME>         environment variable holding the app's durabletask_extension system key
  --port <n>               port on 127.0.0.1 (default 7070; 0 picks a free one)
  --read-only              hide and refuse every action (terminate, purge, ...)
  --run-api <url>          orchestrator origin for the run view, e.g. http://127.0.0.1:7071
  --run-api-token-env <N>  environment variable holding a bearer token for the run API, or
  --issuer <url> --scope <scope>  get one from the local issuer (client credentials)
  --json                   log JSON lines
`;

class UsageError extends Error {
  override name = 'UsageError';
}

/** Runs the command until SIGINT or SIGTERM; resolves with the process exit code. */
export async function runDashboardCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'management-url': { type: 'string' },
        'key-env': { type: 'string' },
        port: { type: 'string', default: '7070' },
        'read-only': { type: 'boolean', default: false },
        'run-api': { type: 'string' },
        'run-api-token-env': { type: 'string' },
        issuer: { type: 'string' },
        scope: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${DASHBOARD_USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(DASHBOARD_USAGE);
    return 0;
  }

  const logger = createLogger({ json: values.json });
  try {
    const managementBaseUrl = values['management-url'];
    if (!managementBaseUrl || !URL.canParse(managementBaseUrl)) {
      throw new UsageError(
        `--management-url must be an absolute URL, got ${JSON.stringify(managementBaseUrl ?? '')}.`,
      );
    }
    if (new URL(managementBaseUrl).searchParams.has('code')) {
      throw new UsageError('--management-url must not carry the key (code=...); pass it through --key-env.');
    }
    const keyEnv = values['key-env'];
    const systemKey = keyEnv ? env[keyEnv] : undefined;
    if (!keyEnv || !systemKey) {
      throw new UsageError(
        `--key-env must name a set environment variable holding the system key, got ${JSON.stringify(keyEnv ?? '')}.`,
      );
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be 0..65535, got ${values.port}.`);

    const dashboard = await startDashboard({
      port,
      managementBaseUrl,
      systemKey,
      readOnly: values['read-only'],
      runApi: runApiOption(values, env),
      logger,
    });
    process.stdout.write(`Dashboard: ${dashboard.url}\n`);

    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await dashboard.close();
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${DASHBOARD_USAGE}`);
      return 2;
    }
    logger.error('dashboard.failed', { reason: error instanceof Error ? error.message : String(error) });
    return 1;
  }
}

function runApiOption(
  values: { 'run-api'?: string; 'run-api-token-env'?: string; issuer?: string; scope?: string },
  env: NodeJS.ProcessEnv,
): { baseUrl: string; getToken: () => Promise<string> } | undefined {
  const baseUrl = values['run-api'];
  if (!baseUrl) return undefined;
  if (!URL.canParse(baseUrl))
    throw new UsageError(`--run-api must be an absolute URL, got ${JSON.stringify(baseUrl)}.`);

  const tokenEnv = values['run-api-token-env'];
  if (tokenEnv) {
    return {
      baseUrl,
      getToken: () => {
        const token = env[tokenEnv];
        return token ? Promise.resolve(token) : Promise.reject(new Error(`${tokenEnv} is not set`));
      },
    };
  }
  const { issuer, scope } = values;
  if (issuer && scope) return { baseUrl, getToken: () => getOperatorToken({ issuerUrl: issuer, scope }) };
  throw new UsageError('--run-api needs --run-api-token-env, or --issuer and --scope.');
}
