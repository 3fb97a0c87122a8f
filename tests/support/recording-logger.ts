// A devhost logger for tests that keeps every record for assertions instead of printing it.
import { createLogger, type Logger, type LogRecord } from '../../devhost/src/log.js';

/** A logger at `debug` whose records land in `records`, parsed. */
export function recordingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = createLogger({
    json: true,
    level: 'debug',
    write: (line) => records.push(JSON.parse(line) as LogRecord),
  });
  return { logger, records };
}
