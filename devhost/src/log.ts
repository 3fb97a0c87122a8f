import { format } from 'node:util';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger: one named event per thing that happens, with properties. Never pass a secret. */
export interface Logger {
  debug(event: string, props?: Record<string, unknown>): void;
  info(event: string, props?: Record<string, unknown>): void;
  warn(event: string, props?: Record<string, unknown>): void;
  error(event: string, props?: Record<string, unknown>): void;
  /** A logger that adds these properties to every event. */
  child(props: Record<string, unknown>): Logger;
}

/** One log record as written in JSON mode (one object per line). */
export interface LogRecord {
  time: string;
  level: LogLevel;
  event: string;
  component?: string;
  [key: string]: unknown;
}

export interface LoggerOptions {
  /** JSON lines (for machines and child processes) or one readable line per event. */
  json?: boolean;
  /** Lowest level written; default `info`. */
  level?: LogLevel;
  /** Where lines go; default stdout. */
  write?: (line: string) => void;
  /** Properties on every event, e.g. `{ component: 'worker' }`. */
  base?: Record<string, unknown>;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SHORT: Record<LogLevel, string> = { debug: 'DBG', info: 'INF', warn: 'WRN', error: 'ERR' };

/** Renders a record as one readable line: `12:00:00.000 INF worker item.processed itemId=a1`. */
export function formatReadable(record: LogRecord): string {
  const { time, level, event, component, ...props } = record;
  const clock = time.slice(11, 23);
  const fields = Object.entries(props)
    .filter(([, value]) => value !== undefined)
    .map(
      ([key, value]) => `${key}=${typeof value === 'string' ? quoteIfNeeded(value) : format('%j', value)}`,
    );
  return [clock, SHORT[level] ?? level, component, event, ...fields].filter(Boolean).join(' ');
}

function quoteIfNeeded(value: string): string {
  return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const json = options.json ?? false;

  const make = (base: Record<string, unknown>): Logger => {
    const emit = (level: LogLevel, event: string, props?: Record<string, unknown>): void => {
      if (ORDER[level] < min) return;
      const record: LogRecord = { time: new Date().toISOString(), level, event, ...base, ...props };
      write(json ? JSON.stringify(record, errorReplacer) : formatReadable(record));
    };
    return {
      debug: (event, props) => emit('debug', event, props),
      info: (event, props) => emit('info', event, props),
      warn: (event, props) => emit('warn', event, props),
      error: (event, props) => emit('error', event, props),
      child: (props) => make({ ...base, ...props }),
    };
  };
  return make(options.base ?? {});
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
