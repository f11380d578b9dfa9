import { type BinnedFeatures, thresholdBetween } from './binning.js';
import type { Impurity } from './impurity.js';

/**
 * What the split search of one tree reads (its rows, buffers and settings), allocated once per
 * tree, and the best split of the last node searched. One object of one shape, passed to
 * top-level functions: the hot loops read its fields into locals, not through closures.
 */
export interface SplitSearch {
  readonly data: BinnedFeatures;
  /** Row indices of the tree's in-bag rows; each node owns a contiguous range. */
  readonly samples: Uint32Array;
  /** Per row, bootstrap count · 2 + label: one read per row in the histogram loop, no branch. */
  readonly packed: Int32Array;
  /** Per-bin row count, weight and class-1 weight of the feature being searched (kept all 0). */
  readonly histCount: Int32Array;
  readonly histW: Int32Array;
  readonly histW1: Int32Array;
  /** Feature indices, partly shuffled at every node to draw features without replacement. */
  readonly order: Int32Array;
  /** The most bins of any feature. */
  readonly maxBins: number;
  readonly maxFeatures: number;
  readonly minSamplesLeaf: number;
  readonly impurity: Impurity;
  readonly random: () => number;
  /**
   * Best split found so far: −(weighted child impurities), its feature (−1: none), the last
   * occupied bin going left and the first going right; its threshold once the search is done.
   */
  bestProxy: number;
  bestFeature: number;
  bestBin: number;
  bestNextBin: number;
  bestThreshold: number;
  /** Class weights of the best split's left child. */
  bestLeftW0: number;
  bestLeftW1: number;
  /** `constant` of the node's children: the node's own, plus the features found constant in it. */
  childConstant: Uint8Array;
}

/**
 * Finds the best split of the node holding `samples[start, end)` with class weights `w0`, `w1`,
 * leaving it in `search.best*` (`bestFeature` −1 when no feature can split). scikit-learn's rule:
 * draw `maxFeatures` features without replacement (a feature known constant in this node counts
 * as drawn), and keep drawing while none of them could split. `constant[f]` = 1 when feature f is
 * known constant in this node (then in all below). The threshold sits halfway between two adjacent
 * distinct training values (see {@link thresholdBetween}).
 */
export function findBestSplit(
  search: SplitSearch,
  start: number,
  end: number,
  w0: number,
  w1: number,
  constant: Uint8Array,
): void {
  const order = search.order;
  const width = order.length;
  const maxFeatures = search.maxFeatures;
  const random = search.random;
  search.bestProxy = Number.NEGATIVE_INFINITY;
  search.bestFeature = -1;
  search.childConstant = constant;
  let evaluated = 0;
  for (let drawn = 0; drawn < width && (drawn < maxFeatures || evaluated === 0); drawn++) {
    const pick = drawn + Math.floor(random() * (width - drawn));
    const f = order[pick]!;
    order[pick] = order[drawn]!;
    order[drawn] = f;
    if (constant[f] === 1) continue;
    if (searchFeature(search, f, start, end, w0, w1)) evaluated++;
    else {
      if (search.childConstant === constant) search.childConstant = constant.slice();
      search.childConstant[f] = 1;
    }
  }
  if (search.bestFeature >= 0) {
    search.bestThreshold = thresholdBetween(
      search.data,
      search.bestFeature,
      search.bestBin,
      search.bestNextBin,
    );
  }
}

/**
 * Builds feature f's per-bin class histogram over the node's rows and scans every threshold
 * between occupied bins, updating `search.best*`; clears the histogram again. Returns `false`
 * when f is constant in the node (nothing to scan).
 */
function searchFeature(
  search: SplitSearch,
  f: number,
  start: number,
  end: number,
  w0: number,
  w1: number,
): boolean {
  const samples = search.samples;
  const packed = search.packed;
  const histCount = search.histCount;
  const histW = search.histW;
  const histW1 = search.histW1;
  const binsOf = search.data.bins[f]!;
  let lowBin = search.maxBins;
  let highBin = -1;
  for (let k = start; k < end; k++) {
    const i = samples[k]!;
    const b = binsOf[i]!;
    const item = packed[i]!;
    const w = item >> 1;
    histCount[b]!++;
    histW[b]! += w;
    histW1[b]! += w * (item & 1);
    if (b < lowBin) lowBin = b;
    if (b > highBin) highBin = b;
  }
  if (lowBin === highBin) {
    histCount[lowBin] = 0;
    histW[lowBin] = 0;
    histW1[lowBin] = 0;
    return false;
  }
  scanThresholds(search, f, lowBin, highBin, end - start, w0, w1);
  for (let c = lowBin; c <= highBin; c++) {
    histCount[c] = 0;
    histW[c] = 0;
    histW1[c] = 0;
  }
  return true;
}

/** Tries every threshold between the occupied bins lowBin..highBin of feature f's histogram. */
function scanThresholds(
  search: SplitSearch,
  f: number,
  lowBin: number,
  highBin: number,
  count: number,
  w0: number,
  w1: number,
): void {
  const histCount = search.histCount;
  const histW = search.histW;
  const histW1 = search.histW1;
  const minSamplesLeaf = search.minSamplesLeaf;
  const impurity = search.impurity;
  let leftCount = 0;
  let leftW0 = 0;
  let leftW1 = 0;
  let b = lowBin;
  while (b < highBin) {
    leftCount += histCount[b]!;
    leftW0 += histW[b]! - histW1[b]!;
    leftW1 += histW1[b]!;
    let next = b + 1;
    while (histCount[next] === 0) next++;
    const rightCount = count - leftCount;
    if (leftCount >= minSamplesLeaf && rightCount >= minSamplesLeaf) {
      const rightW0 = w0 - leftW0;
      const rightW1 = w1 - leftW1;
      const leftWeight = leftW0 + leftW1;
      const rightWeight = rightW0 + rightW1;
      const proxy = -(
        leftWeight * impurity(leftW0, leftW1) +
        rightWeight * impurity(rightW0, rightW1)
      );
      if (proxy > search.bestProxy) {
        search.bestProxy = proxy;
        search.bestFeature = f;
        search.bestBin = b;
        search.bestNextBin = next;
        search.bestLeftW0 = leftW0;
        search.bestLeftW1 = leftW1;
      }
    }
    b = next;
  }
}
