// Small numeric helpers of the benchmarks.

/** The median of `values` (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rounds to `digits` decimals for reports. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Ids of the bench job: `b-000001` … `b-<count>`. */
export function benchItemIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `b-${String(i + 1).padStart(6, '0')}`);
}
