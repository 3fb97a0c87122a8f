// How the supervisor shows logs (its own and its children's) and the "what is where" table.
import { formatReadable, type LogRecord } from '../log.js';

export type RecordWriter = (record: LogRecord) => void;

/** Writes records as JSON lines or one readable line each. */
export function createRecordWriter(options: { json: boolean; write?: (line: string) => void }): RecordWriter {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return (record) => write(options.json ? JSON.stringify(record) : formatReadable(record));
}

export interface WhereRow {
  what: string;
  url: string;
  note?: string;
}

/** A plain-text table of what listens where; no keys or tokens appear in it. */
export function formatWhereTable(rows: readonly WhereRow[]): string {
  const width = Math.max(...rows.map((row) => row.what.length));
  const urlWidth = Math.max(...rows.map((row) => row.url.length));
  return rows
    .map((row) => `  ${row.what.padEnd(width)}  ${row.url.padEnd(urlWidth)}  ${row.note ?? ''}`.trimEnd())
    .join('\n');
}
