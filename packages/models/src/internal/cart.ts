import type { BinnedFeatures } from './binning.js';
import { entropy, gini, type Impurity } from './impurity.js';
import { findBestSplit, ROW_UNIT, type SplitSearch } from './split-search.js';

/** How one tree is grown. */
export interface TreeSettings {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features drawn per split (constant ones count, but at least one non-constant is evaluated). */
  maxFeatures: number;
  criterion: 'gini' | 'entropy';
}

/** A tree in preorder: the left child of node k is k + 1. */
export interface GrownTree {
  /** Split feature, or −1 for a leaf. */
  feature: Int32Array;
  /** Threshold (go left when value ≤ threshold) or, for a leaf, P(class 1). */
  value: Float64Array;
  /** Right child of each split node (−1 for leaves). */
  right: Int32Array;
  /** Mean decrease in impurity per feature, normalised to sum 1 (all 0 for a single leaf). */
  importances: Float64Array;
  depth: number;
}

/** One tree being grown: the split search's state, the nodes so far and the stopping rules. */
interface Growth {
  readonly search: SplitSearch;
  readonly impurity: Impurity;
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly feature: number[];
  readonly value: number[];
  readonly right: number[];
  readonly importances: Float64Array;
  /** Where the partition puts the right child's rows before copying them back. */
  readonly spare: Uint32Array;
  maxDepthSeen: number;
}

const EPSILON = Number.EPSILON;

/**
 * Per-row buffers of a tree, reused by the next tree of the same size on the same thread: the
 * bootstrap counts (filled by the caller), and the in-bag rows, histogram increments and
 * partition space that {@link growTree} fills.
 */
export interface TreeScratch {
  readonly counts: Int32Array;
  readonly add: Float64Array;
  readonly samples: Uint32Array;
  readonly spare: Uint32Array;
}

let cached: TreeScratch | undefined;

/** Buffers for trees on `n` rows (the last ones, when their size matches). */
export function treeScratch(n: number): TreeScratch {
  if (cached?.counts.length !== n) {
    cached = {
      counts: new Int32Array(n),
      add: new Float64Array(n),
      samples: new Uint32Array(n),
      spare: new Uint32Array(n),
    };
  }
  return cached;
}

/**
 * Grows one CART classification tree on the rows with non-zero `scratch.counts` (bootstrap
 * counts): best split over `maxFeatures` features drawn at every node (scikit-learn's rule),
 * found from per-bin weighted class histograms, so each node costs O(features · (rows + bins)).
 */
export function growTree(
  data: BinnedFeatures,
  labels: Uint8Array,
  scratch: TreeScratch,
  settings: TreeSettings,
  random: () => number,
): GrownTree {
  const width = data.width;
  const { counts, add } = scratch;
  // One pass: the in-bag rows, their histogram increments and the root's class weights.
  let inBag = 0;
  let rootW0 = 0;
  let rootW1 = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count === 0) continue;
    scratch.samples[inBag++] = i;
    add[i] = ROW_UNIT + count;
    if (labels[i] === 1) rootW1 += count;
    else rootW0 += count;
  }
  const growth = startGrowth(data, labels, scratch, inBag, settings, random);
  growNode(growth, 0, inBag, 0, rootW0, rootW1, new Uint8Array(width));

  const importances = growth.importances;
  let total = 0;
  for (let f = 0; f < width; f++) total += importances[f]!;
  if (total > 0) for (let f = 0; f < width; f++) importances[f]! /= total;
  return {
    feature: Int32Array.from(growth.feature),
    value: Float64Array.from(growth.value),
    right: Int32Array.from(growth.right),
    importances,
    depth: growth.maxDepthSeen,
  };
}

/** Allocates the buffers of one tree: in-bag rows, packed weights and labels, histograms. */
function startGrowth(
  data: BinnedFeatures,
  labels: Uint8Array,
  scratch: TreeScratch,
  inBag: number,
  settings: TreeSettings,
  random: () => number,
): Growth {
  const width = data.width;
  let maxBins = 0;
  for (let f = 0; f < width; f++) maxBins = Math.max(maxBins, data.binCount[f]!);
  const impurity = settings.criterion === 'gini' ? gini : entropy;
  const batch = Math.max(1, Math.min(settings.maxFeatures, width));
  const order = new Int32Array(width);
  for (let f = 0; f < width; f++) order[f] = f;
  const search: SplitSearch = {
    data,
    samples: scratch.samples.subarray(0, inBag),
    add: scratch.add,
    labels,
    hist: new Float64Array(batch * maxBins * 2),
    batch: new Int32Array(batch),
    low: new Int32Array(batch),
    high: new Int32Array(batch),
    order,
    maxBins,
    maxFeatures: settings.maxFeatures,
    minSamplesLeaf: settings.minSamplesLeaf,
    impurity,
    random,
    bestProxy: Number.NEGATIVE_INFINITY,
    bestFeature: -1,
    bestBin: -1,
    bestNextBin: -1,
    bestThreshold: 0,
    bestLeftW0: 0,
    bestLeftW1: 0,
    childConstant: new Uint8Array(0),
  };
  return {
    search,
    impurity,
    maxDepth: settings.maxDepth,
    minSamplesSplit: settings.minSamplesSplit,
    minSamplesLeaf: settings.minSamplesLeaf,
    feature: [],
    value: [],
    right: [],
    importances: new Float64Array(width),
    spare: scratch.spare,
    maxDepthSeen: 0,
  };
}

/**
 * Grows the subtree of the node holding `samples[start, end)` (class weights `w0`, `w1`) in
 * preorder. `constant[f]` = 1 when feature f is known constant in this node (then in all below).
 */
function growNode(
  growth: Growth,
  start: number,
  end: number,
  depth: number,
  w0: number,
  w1: number,
  constant: Uint8Array,
): void {
  const index = growth.feature.length;
  growth.maxDepthSeen = Math.max(growth.maxDepthSeen, depth);
  const count = end - start;
  const nodeWeight = w0 + w1;
  const impurity = growth.impurity;
  const nodeImpurity = impurity(w0, w1);
  const search = growth.search;
  if (
    depth >= growth.maxDepth ||
    count < growth.minSamplesSplit ||
    count < 2 * growth.minSamplesLeaf ||
    nodeImpurity <= EPSILON
  ) {
    addLeaf(growth, w1 / nodeWeight);
    return;
  }
  findBestSplit(search, start, end, w0, w1, constant);
  const bestFeature = search.bestFeature;
  if (bestFeature < 0) {
    addLeaf(growth, w1 / nodeWeight);
    return;
  }
  // The search's fields belong to the next node searched: read them before growing the children.
  const leftW0 = search.bestLeftW0;
  const leftW1 = search.bestLeftW1;
  const childConstant = search.childConstant;
  const middle = partition(search, growth.spare, start, end);
  const rightW0 = w0 - leftW0;
  const rightW1 = w1 - leftW1;
  growth.importances[bestFeature]! +=
    nodeWeight * nodeImpurity -
    (leftW0 + leftW1) * impurity(leftW0, leftW1) -
    (rightW0 + rightW1) * impurity(rightW0, rightW1);

  growth.feature.push(bestFeature);
  growth.value.push(search.bestThreshold);
  growth.right.push(-1);
  growNode(growth, start, middle, depth + 1, leftW0, leftW1, childConstant);
  growth.right[index] = growth.feature.length;
  growNode(growth, middle, end, depth + 1, rightW0, rightW1, childConstant);
}

function addLeaf(growth: Growth, probability: number): void {
  growth.feature.push(-1);
  growth.value.push(probability);
  growth.right.push(-1);
}

/**
 * Reorders `samples[start, end)` so the rows whose bin of the split feature is ≤ the best split's
 * bin come first, both sides in their order (a stable partition through `spare`: no swaps, fewer
 * mispredicted branches); returns where the right child's rows begin.
 */
function partition(search: SplitSearch, spare: Uint32Array, start: number, end: number): number {
  const { samples, bestBin: bin } = search;
  const { bins, width } = search.data;
  const f = search.bestFeature;
  let left = start;
  let right = 0;
  for (let s = start; s < end; s++) {
    const i = samples[s]!;
    if (bins[i * width + f]! <= bin) samples[left++] = i;
    else spare[right++] = i;
  }
  samples.set(spare.subarray(0, right), left);
  return left;
}
