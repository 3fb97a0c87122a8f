// Instances counted by created time, in equal buckets across a window, split by status tone: the
// list's time histogram, whose bars narrow the time filter to their bucket.
import { parseTime } from './format.js';
import type { Instance } from './instance.js';
import { type StatusTone, statusTone } from './status.js';

export interface Bucket {
  start: number;
  end: number;
  total: number;
  byTone: Partial<Record<StatusTone, number>>;
}

/** `count` buckets over [from, to]; with no window, over the rows' own created times. */
export function histogram(rows: readonly Instance[], count: number, from?: number, to?: number): Bucket[] {
  const times = rows.map((r) => parseTime(r.createdTime)).filter((t): t is number => t !== undefined);
  if (times.length === 0 || count < 1) return [];
  const start = from ?? Math.min(...times);
  const end = Math.max(to ?? Math.max(...times), start + 1000);
  const width = (end - start) / count;
  const buckets: Bucket[] = Array.from({ length: count }, (_, i) => ({
    start: start + i * width,
    end: start + (i + 1) * width,
    total: 0,
    byTone: {},
  }));

  rows.forEach((row) => {
    const time = parseTime(row.createdTime);
    if (time === undefined || time < start || time > end) return;
    const bucket = buckets[Math.min(count - 1, Math.floor((time - start) / width))];
    if (!bucket) return;
    const tone = statusTone(row.runtimeStatus);
    bucket.total += 1;
    bucket.byTone[tone] = (bucket.byTone[tone] ?? 0) + 1;
  });
  return buckets;
}
