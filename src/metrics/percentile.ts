// Percentiles from a histogram of whole-number values, computed exactly as PostgreSQL's percentile_cont does on
// the raw values: the value at position p × (n − 1) of the sorted list, interpolated linearly between the two
// values either side. So a median or 90th percentile read from the rollups equals the one a direct
// `percentile_cont(p) within group (order by days)` over the decided applications gives.

export type Histogram = ReadonlyMap<number, number>; // value -> how many times it occurs

export function histogramTotal(h: Histogram): number {
  let n = 0;
  for (const count of h.values()) n += count;
  return n;
}

/** percentile_cont(p) of the values the histogram describes, or null when it is empty. */
export function percentileCont(h: Histogram, p: number): number | null {
  if (p < 0 || p > 1) throw new RangeError('a percentile is between 0 and 1');
  const entries = [...h.entries()].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0]);
  const n = entries.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  const position = p * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const valueAt = (index: number): number => {
    let seen = 0;
    for (const [value, count] of entries) {
      seen += count;
      if (index < seen) return value;
    }
    return entries[entries.length - 1]![0];
  };
  const low = valueAt(lower);
  if (upper === lower) return low;
  const high = valueAt(upper);
  return low + (position - lower) * (high - low);
}

/** Add one histogram into another (in place). */
export function mergeInto(target: Map<number, number>, source: Histogram): Map<number, number> {
  for (const [value, count] of source) target.set(value, (target.get(value) ?? 0) + count);
  return target;
}

/** How many values are at most `limit`. */
export function countAtMost(h: Histogram, limit: number): number {
  let n = 0;
  for (const [value, count] of h) if (value <= limit) n += count;
  return n;
}
