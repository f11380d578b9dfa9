import type { Metric } from '../types.js';

/** What SQL servers answer for ±∞ (the largest double). */
const LARGEST = 1.7976931348623157e308;

/**
 * One point's identity: key, step, timestamp and value, NaN equal to NaN and ±∞ equal to the
 * largest double a SQL server answers for it.
 */
export function pointKey(point: Metric): string {
  let value: string;
  if (Number.isNaN(point.value)) value = 'nan';
  else if (point.value === Number.POSITIVE_INFINITY || point.value === LARGEST) value = 'inf';
  else if (point.value === Number.NEGATIVE_INFINITY || point.value === -LARGEST) value = '-inf';
  else value = String(point.value);
  return `${point.key}\u0000${point.step}\u0000${point.timestamp}\u0000${value}`;
}

/**
 * The points of `wanted` that `present` lacks, counted: a point `wanted` holds twice and
 * `present` once is missing once. Order of `wanted` kept.
 *
 * @example
 * ```ts
 * missingPoints([a, b, b], [b]); // [a, b]
 * ```
 */
export function missingPoints(wanted: readonly Metric[], present: readonly Metric[]): Metric[] {
  const counts = new Map<string, number>();
  for (const point of present) {
    const key = pointKey(point);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const missing: Metric[] = [];
  for (const point of wanted) {
    const key = pointKey(point);
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else missing.push(point);
  }
  return missing;
}

/** The points grouped by key, keys in first-seen order, points in their order. */
export function groupByKey(points: readonly Metric[]): Map<string, Metric[]> {
  const groups = new Map<string, Metric[]>();
  for (const point of points) {
    const group = groups.get(point.key);
    if (group) group.push(point);
    else groups.set(point.key, [point]);
  }
  return groups;
}
