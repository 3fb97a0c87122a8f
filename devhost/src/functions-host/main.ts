// Process entry: one function app per Node process, as in Azure. JSON log lines go to stdout.
//   node devhost/dist/functions-host/main.js --app <dir> --port <n> --data <dir> [--public-origin <url>]
// Prints a `host.ready` record (with `url`) once it serves; SIGTERM or SIGINT stop it cleanly.
import { parseArgs } from 'node:util';

import { createLogger, type LogLevel } from '../log.js';
import { startFunctionHost } from './host.js';

const LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error'];

const { values } = parseArgs({
  options: {
    app: { type: 'string' },
    port: { type: 'string', default: '0' },
    data: { type: 'string' },
    'public-origin': { type: 'string' },
    name: { type: 'string' },
    'log-level': { type: 'string', default: process.env.DEVHOST_LOG_LEVEL ?? 'info' },
    'exit-with-stdin': { type: 'boolean', default: false },
  },
  strict: true,
});

const level = LEVELS.includes(values['log-level']) ? (values['log-level'] as LogLevel) : 'info';
const base = values.name ? { component: values.name } : {};
const logger = createLogger({ json: true, level, base });
// The ready line is what the supervisor waits for: it is written whatever the level.
const lifecycle = createLogger({ json: true, level: 'debug', base });

async function main(): Promise<void> {
  if (!values.app || !values.data) {
    logger.error('host.usage', { message: 'Pass --app <app folder> and --data <data folder>.' });
    process.exitCode = 2;
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    logger.error('host.usage', { message: `--port must be 0..65535, got ${JSON.stringify(values.port)}.` });
    process.exitCode = 2;
    return;
  }

  const host = await startFunctionHost({
    appDir: values.app,
    port,
    dataDir: values.data,
    logger,
    ...(values['public-origin'] ? { publicOrigin: values['public-origin'] } : {}),
  });

  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    logger.info('host.stopping', { reason });
    host.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('host.stop_failed', { error: err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (values['exit-with-stdin']) {
    // The supervisor holds our stdin open; when it dies without signalling, stdin ends.
    process.stdin.on('end', () => stop('parent exited'));
    process.stdin.resume();
  }

  lifecycle.info('host.ready', { url: host.url, durable: host.durable !== undefined, pid: process.pid });
}

process.on('uncaughtException', (err) => {
  logger.error('host.crashed', { error: err, stack: err.stack });
  process.exit(1);
});

main().catch((err: unknown) => {
  logger.error('host.failed', {
    error: err,
    ...(err instanceof Error && err.cause ? { cause: err.cause } : {}),
  });
  process.exit(1);
});
