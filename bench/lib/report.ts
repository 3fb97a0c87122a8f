// The benchmark summary: the targets of the issue against medians, as JSON and as a Markdown table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { round } from './stats.js';

export interface TargetRow {
  name: string;
  /** How the figure is computed. */
  measure: string;
  value: number;
  unit: string;
  /** `<=` bound; undefined for figures that are recorded only. */
  target?: number;
}

export function verdict(row: TargetRow): 'met' | 'missed' | 'recorded' {
  if (row.target === undefined) return 'recorded';
  return row.value <= row.target ? 'met' : 'missed';
}

/** The rows as a Markdown table. */
export function markdownTable(rows: readonly TargetRow[]): string {
  const lines = ['| Benchmark | Measure | Median | Target | Result |', '|---|---|---|---|---|'];
  for (const row of rows) {
    const target = row.target === undefined ? '—' : `≤ ${row.target}${row.unit ? ` ${row.unit}` : ''}`;
    const value = `${round(row.value, row.value >= 100 ? 0 : 2)}${row.unit ? ` ${row.unit}` : ''}`;
    lines.push(`| ${row.name} | ${row.measure} | ${value} | ${target} | ${verdict(row)} |`);
  }
  return lines.join('\n');
}

/**
 * Writes `bench/results/<stamp>.json` and, for a measuring run (not `--quick`), `latest.json` and
 * `latest.md`; returns the JSON path.
 */
export function writeResults(
  dir: string,
  stamp: string,
  document: Record<string, unknown>,
  table: string,
  latest: boolean,
): string {
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const path = join(dir, `${stamp}.json`);
  writeFileSync(path, text);
  if (latest) {
    writeFileSync(join(dir, 'latest.json'), text);
    writeFileSync(join(dir, 'latest.md'), `${table}\n`);
  }
  return path;
}
