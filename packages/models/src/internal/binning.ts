/** Features discretised for the split search: each value replaced by the rank of its bin. */
export interface BinnedFeatures {
  /** Column-major bin indices, one array per feature. */
  bins: Uint16Array[];
  /** Per feature, the smallest and largest training value falling in each bin. */
  binMin: Float64Array[];
  binMax: Float64Array[];
  /** Number of bins per feature. */
  binCount: Int32Array;
  /** True when every feature has at most `maxBins` distinct values: the split search is then exact. */
  exact: boolean;
}

/**
 * Bins each feature column. A column with at most `maxBins` distinct values gets one bin per value
 * (so thresholds are the midpoints between consecutive distinct values, as in scikit-learn's exact
 * CART); a column with more gets `maxBins` bins of about equal counts.
 */
export function binFeatures(
  rows: readonly ArrayLike<number>[],
  width: number,
  maxBins: number,
): BinnedFeatures {
  const n = rows.length;
  const bins: Uint16Array[] = [];
  const binMin: Float64Array[] = [];
  const binMax: Float64Array[] = [];
  const binCount = new Int32Array(width);
  let exact = true;
  const column = new Float64Array(n);
  for (let f = 0; f < width; f++) {
    for (let i = 0; i < n; i++) column[i] = rows[i]![f]!;
    const sorted = Float64Array.from(column).sort();
    const distinct: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) {
        distinct.push(sorted[i]!);
        counts.push(1);
      } else counts[counts.length - 1]!++;
    }
    // Upper edge (inclusive) of each bin, as an index into `distinct`.
    const upper: number[] = [];
    if (distinct.length <= maxBins) {
      for (let k = 0; k < distinct.length; k++) upper.push(k);
    } else {
      exact = false;
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
    const binOf = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      // First bin whose max ≥ value (binary search).
      const value = column[i]!;
      let lo = 0;
      let hi = upper.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (maxs[mid]! < value) lo = mid + 1;
        else hi = mid;
      }
      binOf[i] = lo;
    }
    bins.push(binOf);
    binMin.push(mins);
    binMax.push(maxs);
    binCount[f] = upper.length;
  }
  return { bins, binMin, binMax, binCount, exact };
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
