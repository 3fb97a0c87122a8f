// Runs one function app in its own Node process (functions-host/main) and follows its JSON logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import type { LogRecord } from '../log.js';

export interface HostProcessOptions {
  /** Shown as `component` on every record, e.g. `orchestrator`. */
  name: string;
  appDir: string;
  port: number;
  dataDir: string;
  publicOrigin?: string;
  /** Extra environment for the app (on top of this process's environment). */
  env?: Record<string, string>;
  logLevel?: string;
  /** Every record the child writes; lines that are not JSON arrive as `host.output`. */
  onRecord: (record: LogRecord) => void;
  startTimeoutMs?: number;
}

export interface HostProcess {
  name: string;
  url: string;
  pid: number;
  process: ChildProcess;
  /** Resolves with the exit code once the process ends (for crash reporting). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** The app host did not report ready; the message carries its last output. */
export class HostStartError extends Error {
  override readonly name = 'HostStartError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The entry and Node flags to run functions-host/main, from dist (.js) or from sources via tsx. */
function hostEntry(): { entry: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`../functions-host/main.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  // node:sqlite (the durable store) is experimental on Node 22; its warning is noise in every run.
  const quiet = ['--disable-warning=ExperimentalWarning'];
  return { entry, execArgv: fromSource ? [...quiet, '--import', 'tsx'] : quiet };
}

function toRecord(line: string, name: string, level: LogRecord['level']): LogRecord {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value === 'object' && value !== null && 'event' in value) return value as LogRecord;
  } catch {
    // Not a log record: the app or a library wrote plain text.
  }
  return { time: new Date().toISOString(), level, event: 'host.output', component: name, line };
}

/** Starts the app host process and resolves once it printed `host.ready`. */
export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  const { entry, execArgv } = hostEntry();
  const args = [
    ...execArgv,
    entry,
    '--app',
    options.appDir,
    '--port',
    String(options.port),
    '--data',
    options.dataDir,
  ];
  args.push('--name', options.name, '--exit-with-stdin');
  if (options.publicOrigin) args.push('--public-origin', options.publicOrigin);
  if (options.logLevel) args.push('--log-level', options.logLevel);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const recent: string[] = [];

  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new HostStartError(
          `${options.name} host did not become ready in time. Last output:\n${recent.join('\n')}`,
        ),
      );
    }, options.startTimeoutMs ?? 60_000);
    const follow = (stream: NodeJS.ReadableStream, level: LogRecord['level']): void => {
      createInterface({ input: stream }).on('line', (line) => {
        recent.push(line);
        if (recent.length > 20) recent.shift();
        const record = toRecord(line, options.name, level);
        options.onRecord(record);
        if (record.event === 'host.ready' && typeof record.url === 'string') {
          clearTimeout(timer);
          resolve(record.url);
        }
      });
    };
    if (child.stdout) follow(child.stdout, 'info');
    if (child.stderr) follow(child.stderr, 'warn');
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new HostStartError(
          `${options.name} host exited (code ${code}) before it was ready. Last output:\n${recent.join('\n')}`,
        ),
      );
    });
  });
  const url = await ready;

  return {
    name: options.name,
    url,
    pid: child.pid ?? -1,
    process: child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
