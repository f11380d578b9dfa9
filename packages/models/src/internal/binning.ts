import type { FeatureInput } from './features.js';
import { ValueTable } from './value-table.js';

/** Features discretised for the split search: each value replaced by the rank of its bin. */
export interface BinnedFeatures {
  /** Rows and features. */
  n: number;
  width: number;
  /**
   * Row-major bin indices (row i's bins at `i * width …`): the features a node draws for a row
   * sit in one cache line. Backed by a SharedArrayBuffer when the trees grow on workers.
   */
  bins: Uint16Array;
  /** Per feature, the smallest and largest training value falling in each bin. */
  binMin: Float64Array[];
  binMax: Float64Array[];
  /** Number of bins per feature. */
  binCount: Int32Array;
  /** True when every feature has at most `maxBins` distinct values: the split search is then exact. */
  exact: boolean;
}

/** Distinct values per column above which a column is binned by sorting it instead. */
const TABLE_CAPACITY = 4096;

/**
 * Bins each feature column. A column with at most `maxBins` distinct values gets one bin per value
 * (so thresholds are the midpoints between consecutive distinct values, as in scikit-learn's exact
 * CART); a column with more gets `maxBins` bins of about equal counts. `shared` puts the bins in
 * a SharedArrayBuffer (for worker threads). Columns of up to 4,096 distinct values are counted in
 * one pass over the rows through a hash table (no sort of the column); others are sorted.
 */
export function binFeatures(input: FeatureInput, maxBins: number, shared = false): BinnedFeatures {
  const { n, p: width } = input;
  const bytes = n * width * Uint16Array.BYTES_PER_ELEMENT;
  const bins = new Uint16Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const capacity = Math.min(TABLE_CAPACITY, n);
  const tables = Array.from({ length: width }, () => new ValueTable(capacity));
  const sorted = new Uint8Array(width);
  countValues(input, tables, sorted, bins);
  const binOfId = new Uint16Array(width * capacity);
  const binMin: Float64Array[] = [];
  const binMax: Float64Array[] = [];
  const binCount = new Int32Array(width);
  let exact = true;
  for (let f = 0; f < width; f++) {
    const edges =
      sorted[f] === 1
        ? binBySorting(input, f, maxBins, bins)
        : binByTable(tables[f]!, n, maxBins, binOfId.subarray(f * capacity));
    exact &&= edges.exact;
    binMin.push(edges.mins);
    binMax.push(edges.maxs);
    binCount[f] = edges.maxs.length;
  }
  for (let i = 0; i < n; i++) {
    const row = i * width;
    for (let f = 0; f < width; f++) {
      if (sorted[f] === 0) bins[row + f] = binOfId[f * capacity + bins[row + f]!]!;
    }
  }
  return { n, width, bins, binMin, binMax, binCount, exact };
}

/**
 * One pass over the rows: each value's id in its column's table goes to `bins` (replaced by its
 * bin later); a column whose table fills up is marked in `sorted`.
 */
function countValues(
  input: FeatureInput,
  tables: ValueTable[],
  sorted: Uint8Array,
  bins: Uint16Array,
): void {
  const { n, p, dense, rows } = input;
  for (let i = 0; i < n; i++) {
    const row = dense ?? rows![i]!;
    const offset = dense ? i * p : 0;
    for (let f = 0; f < p; f++) {
      if (sorted[f] === 1) continue;
      const id = tables[f]!.add(row[offset + f]!);
      if (id < 0) sorted[f] = 1;
      else bins[i * p + f] = id;
    }
  }
}

type Edges = { mins: Float64Array; maxs: Float64Array; exact: boolean };

/** The edges of a column from its table, and in `binOfId` the bin of each distinct value. */
function binByTable(table: ValueTable, n: number, maxBins: number, binOfId: Uint16Array): Edges {
  const { values, counts, size } = table;
  const order = Array.from({ length: size }, (_, id) => id).sort((a, b) => values[a]! - values[b]!);
  const distinct = order.map((id) => values[id]!);
  const edges = binEdges(
    distinct,
    order.map((id) => counts[id]!),
    n,
    maxBins,
  );
  for (let rank = 0, b = 0; rank < size; rank++) {
    while (edges.maxs[b]! < distinct[rank]!) b++;
    binOfId[order[rank]!] = b;
  }
  return edges;
}

/** The edges of a column of many distinct values from a sorted copy; writes its bins. */
function binBySorting(input: FeatureInput, f: number, maxBins: number, bins: Uint16Array): Edges {
  const { n, p, dense, rows } = input;
  const column = new Float64Array(n);
  if (dense) for (let i = 0; i < n; i++) column[i] = dense[i * p + f]!;
  else for (let i = 0; i < n; i++) column[i] = rows![i]![f]!;
  const sorted = Float64Array.from(column).sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      distinct.push(sorted[i]!);
      counts.push(1);
    } else counts[counts.length - 1]!++;
  }
  const edges = binEdges(distinct, counts, n, maxBins);
  const maxs = edges.maxs;
  for (let i = 0; i < n; i++) {
    // First bin whose max ≥ value (binary search).
    const value = column[i]!;
    let lo = 0;
    let hi = maxs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (maxs[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    bins[i * p + f] = lo;
  }
  return edges;
}

/** The smallest and largest value of each bin, from a column's sorted distinct values and counts. */
function binEdges(
  distinct: readonly number[],
  counts: readonly number[],
  n: number,
  maxBins: number,
): Edges {
  // Upper edge (inclusive) of each bin, as an index into `distinct`.
  const upper: number[] = [];
  const exact = distinct.length <= maxBins;
  if (exact) {
    for (let k = 0; k < distinct.length; k++) upper.push(k);
  } else {
    let cumulative = 0;
    let next = 1;
    for (let k = 0; k < distinct.length; k++) {
      cumulative += counts[k]!;
      if (cumulative >= (next * n) / maxBins || k === distinct.length - 1) {
        upper.push(k);
        while (cumulative >= (next * n) / maxBins) next++;
      }
    }
  }
  const mins = new Float64Array(upper.length);
  const maxs = new Float64Array(upper.length);
  for (let b = 0; b < upper.length; b++) {
    mins[b] = distinct[b === 0 ? 0 : upper[b - 1]! + 1]!;
    maxs[b] = distinct[upper[b]!]!;
  }
  return { mins, maxs, exact };
}

/**
 * The threshold of a split of feature f whose node has its largest value going left in bin `left`
 * and its smallest going right in bin `right` (> `left`; the bins between hold none of the node's
 * rows). It lies halfway between two adjacent distinct training values — the largest value of a
 * bin k and the smallest of bin k + 1, for the k in `left..right − 1` whose midpoint is nearest
 * the node's own midpoint (scikit-learn's threshold) — so it is never a training value nor, for
 * integer-valued columns, any other integer value: a float32 evaluation of the tree routes every
 * row as the float64 one does. Rounding never lets the larger value go left.
 */
export function thresholdBetween(
  data: BinnedFeatures,
  f: number,
  left: number,
  right: number,
): number {
  const mins = data.binMin[f]!;
  const maxs = data.binMax[f]!;
  const nodeMiddle = midpoint(maxs[left]!, mins[right]!);
  let best = midpoint(maxs[left]!, mins[left + 1]!);
  for (let k = left + 1; k < right; k++) {
    const candidate = midpoint(maxs[k]!, mins[k + 1]!);
    if (Math.abs(candidate - nodeMiddle) < Math.abs(best - nodeMiddle)) best = candidate;
  }
  return best;
}

/** (a + b) / 2 without overflow, never equal to the larger value b (it would then go left). */
function midpoint(a: number, b: number): number {
  const middle = a / 2 + b / 2;
  return middle < b ? middle : a;
}
