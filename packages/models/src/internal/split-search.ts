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
  /**
   * Per row, 2^26 + its bootstrap count: added to its class's slot of a bin, it counts the row and
   * its weight in one update (both stay below 2^26, so the sum is exact).
   */
  readonly add: Float64Array;
  readonly labels: Uint8Array;
  /**
   * Per feature of the batch being searched (`maxBins` bins each), per bin and class: rows · 2^26 +
   * weight. One update per row and feature: no chain of three read-modify-writes on a bin that
   * every row hits (a one-hot column has two bins). Kept all 0 between searches.
   */
  readonly hist: Float64Array;
  /** The features of the batch, and the lowest and highest bin each occupies in the node. */
  readonly batch: Int32Array;
  readonly low: Int32Array;
  readonly high: Int32Array;
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

/** The unit of the row count in a histogram slot (see {@link SplitSearch.hist}). */
export const ROW_UNIT = 2 ** 26;

/** The node being searched: its rows `samples[start, end)` and class weights. */
interface Node {
  start: number;
  end: number;
  w0: number;
  w1: number;
  constant: Uint8Array;
}

/**
 * Finds the best split of the node holding `samples[start, end)` with class weights `w0`, `w1`,
 * leaving it in `search.best*` (`bestFeature` −1 when no feature can split). scikit-learn's rule:
 * draw `maxFeatures` features without replacement (a feature known constant in this node counts
 * as drawn), and keep drawing while none of them could split. `constant[f]` = 1 when feature f is
 * known constant in this node (then in all below). The first `maxFeatures` draws are searched
 * together, in one pass over the node's rows (their bins share a cache line); any later draw
 * alone. Draws and comparisons happen in draw order, so the split is the one a feature-by-feature
 * search finds. The threshold sits halfway between two adjacent distinct training values (see
 * {@link thresholdBetween}).
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
  const random = search.random;
  const node: Node = { start, end, w0, w1, constant };
  search.bestProxy = Number.NEGATIVE_INFINITY;
  search.bestFeature = -1;
  search.childConstant = constant;
  let evaluated = 0;
  let drawn = 0;
  let size = 0;
  const first = Math.min(search.maxFeatures, width);
  for (; drawn < first; drawn++) {
    const f = draw(order, drawn, width, random);
    if (constant[f] !== 1) search.batch[size++] = f;
  }
  if (size > 0) evaluated += searchBatch(search, node, size);
  for (; drawn < width && evaluated === 0; drawn++) {
    const f = draw(order, drawn, width, random);
    if (constant[f] === 1) continue;
    search.batch[0] = f;
    evaluated += searchBatch(search, node, 1);
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

/** Draws the next feature without replacement (a partial Fisher–Yates shuffle of `order`). */
function draw(order: Int32Array, drawn: number, width: number, random: () => number): number {
  const pick = drawn + Math.floor(random() * (width - drawn));
  const f = order[pick]!;
  order[pick] = order[drawn]!;
  order[drawn] = f;
  return f;
}

/**
 * Builds the histograms of the batch's `size` features over the node's rows, then, feature by
 * feature, marks a constant one or scans its thresholds; clears the histograms again. Returns how
 * many features could split.
 */
function searchBatch(search: SplitSearch, node: Node, size: number): number {
  const { hist, batch, low, high, maxBins } = search;
  const binCount = search.data.binCount;
  let bins = 0;
  for (let k = 0; k < size; k++) bins += binCount[batch[k]!]!;
  // Few rows: track each feature's occupied range; many: find it from the histogram afterwards.
  if (node.end - node.start < bins) fillTracked(search, node, size);
  else {
    fillHistograms(search, node, size);
    for (let k = 0; k < size; k++) {
      const base = k * maxBins * 2;
      let lo = 0;
      while (hist[base + lo * 2] === 0 && hist[base + lo * 2 + 1] === 0) lo++;
      let hi = binCount[batch[k]!]! - 1;
      while (hist[base + hi * 2] === 0 && hist[base + hi * 2 + 1] === 0) hi--;
      low[k] = lo;
      high[k] = hi;
    }
  }
  let evaluated = 0;
  for (let k = 0; k < size; k++) {
    const f = batch[k]!;
    const base = k * maxBins * 2;
    if (low[k] === high[k]) {
      if (search.childConstant === node.constant) search.childConstant = node.constant.slice();
      search.childConstant[f] = 1;
    } else {
      scanThresholds(search, node, k);
      evaluated++;
    }
    hist.fill(0, base + low[k]! * 2, base + high[k]! * 2 + 2);
  }
  return evaluated;
}

/** Adds every row of the node to the histograms of the batch's features. */
function fillHistograms(search: SplitSearch, node: Node, size: number): void {
  const { samples, add, labels, hist, batch, maxBins } = search;
  const { bins, width } = search.data;
  const stride = maxBins * 2;
  for (let s = node.start; s < node.end; s++) {
    const i = samples[s]!;
    const a = add[i]!;
    const label = labels[i]!;
    const row = i * width;
    for (let k = 0, base = label; k < size; k++, base += stride) {
      const b = bins[row + batch[k]!]!;
      hist[base + b * 2]! += a;
    }
  }
}

/** {@link fillHistograms}, also recording each feature's lowest and highest bin in the node. */
function fillTracked(search: SplitSearch, node: Node, size: number): void {
  const { samples, add, labels, hist, batch, low, high, maxBins } = search;
  const { bins, width } = search.data;
  const stride = maxBins * 2;
  low.fill(maxBins, 0, size);
  high.fill(-1, 0, size);
  for (let s = node.start; s < node.end; s++) {
    const i = samples[s]!;
    const a = add[i]!;
    const label = labels[i]!;
    const row = i * width;
    for (let k = 0, base = label; k < size; k++, base += stride) {
      const b = bins[row + batch[k]!]!;
      hist[base + b * 2]! += a;
      if (b < low[k]!) low[k] = b;
      if (b > high[k]!) high[k] = b;
    }
  }
}

/** Tries every threshold between the occupied bins of the batch's k-th feature. */
function scanThresholds(search: SplitSearch, node: Node, k: number): void {
  const { hist, minSamplesLeaf, impurity } = search;
  const base = k * search.maxBins * 2;
  const highBin = search.high[k]!;
  const { w0, w1 } = node;
  const count = node.end - node.start;
  let leftCount = 0;
  let leftW0 = 0;
  let leftW1 = 0;
  let b = search.low[k]!;
  while (b < highBin) {
    const slot0 = hist[base + b * 2]!;
    const slot1 = hist[base + b * 2 + 1]!;
    const rows0 = Math.floor(slot0 / ROW_UNIT);
    const rows1 = Math.floor(slot1 / ROW_UNIT);
    leftCount += rows0 + rows1;
    leftW0 += slot0 - rows0 * ROW_UNIT;
    leftW1 += slot1 - rows1 * ROW_UNIT;
    let next = b + 1;
    while (hist[base + next * 2] === 0 && hist[base + next * 2 + 1] === 0) next++;
    const rightCount = count - leftCount;
    if (leftCount >= minSamplesLeaf && rightCount >= minSamplesLeaf) {
      const rightW0 = w0 - leftW0;
      const rightW1 = w1 - leftW1;
      const proxy = -(
        (leftW0 + leftW1) * impurity(leftW0, leftW1) +
        (rightW0 + rightW1) * impurity(rightW0, rightW1)
      );
      if (proxy > search.bestProxy) {
        search.bestProxy = proxy;
        search.bestFeature = search.batch[k]!;
        search.bestBin = b;
        search.bestNextBin = next;
        search.bestLeftW0 = leftW0;
        search.bestLeftW1 = leftW1;
      }
    }
    b = next;
  }
}
