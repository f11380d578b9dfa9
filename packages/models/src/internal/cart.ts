import type { BinnedFeatures } from './binning.js';

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

const EPSILON = Number.EPSILON;

/**
 * Grows one CART classification tree on the rows with non-zero `weight` (bootstrap counts):
 * best split over `maxFeatures` features drawn at every node (scikit-learn's rule), found from
 * per-bin weighted class histograms, so each node costs O(features · (rows + bins)).
 */
export function growTree(
  data: BinnedFeatures,
  labels: Uint8Array,
  weight: Float64Array,
  settings: TreeSettings,
  random: () => number,
): GrownTree {
  const width = data.bins.length;
  let maxBins = 0;
  for (let f = 0; f < width; f++) maxBins = Math.max(maxBins, data.binCount[f]!);
  const histCount = new Int32Array(maxBins);
  const histW = new Int32Array(maxBins);
  const histW1 = new Int32Array(maxBins);
  const order = Int32Array.from({ length: width }, (_, f) => f);

  // Per-row bootstrap count and label packed in one integer (count · 2 + label): one read per row
  // in the histogram loop, no branch. Bootstrap counts are whole numbers.
  const packed = new Int32Array(weight.length);
  for (let i = 0; i < weight.length; i++) packed[i] = weight[i]! * 2 + labels[i]!;
  const inBag: number[] = [];
  for (let i = 0; i < weight.length; i++) if (weight[i]! > 0) inBag.push(i);
  const samples = Uint32Array.from(inBag);

  const feature: number[] = [];
  const value: number[] = [];
  const right: number[] = [];
  const importances = new Float64Array(width);
  const impurity = settings.criterion === 'gini' ? gini : entropy;
  let maxDepthSeen = 0;

  let rootW0 = 0;
  let rootW1 = 0;
  for (const i of samples) {
    if (labels[i] === 1) rootW1 += weight[i]!;
    else rootW0 += weight[i]!;
  }

  /** `constant[f]` = 1 when feature f is known constant in this node (then in all below). */
  const grow = (
    start: number,
    end: number,
    depth: number,
    w0: number,
    w1: number,
    constant: Uint8Array,
  ): void => {
    const index = feature.length;
    maxDepthSeen = Math.max(maxDepthSeen, depth);
    const count = end - start;
    const nodeWeight = w0 + w1;
    const nodeImpurity = impurity(w0, w1);
    const makeLeaf = () => {
      feature.push(-1);
      value.push(w1 / nodeWeight);
      right.push(-1);
    };
    if (
      depth >= settings.maxDepth ||
      count < settings.minSamplesSplit ||
      count < 2 * settings.minSamplesLeaf ||
      nodeImpurity <= EPSILON
    ) {
      makeLeaf();
      return;
    }

    let bestProxy = Number.NEGATIVE_INFINITY;
    let bestFeature = -1;
    let bestBin = -1;
    let bestThreshold = 0;
    let bestLeftW0 = 0;
    let bestLeftW1 = 0;
    let evaluated = 0;
    let childConstant = constant;
    // scikit-learn's rule: draw maxFeatures features without replacement (a feature constant in
    // this node counts as drawn), and keep drawing while none of them could split.
    for (
      let drawn = 0;
      drawn < width && (drawn < settings.maxFeatures || evaluated === 0);
      drawn++
    ) {
      const pick = drawn + Math.floor(random() * (width - drawn));
      const f = order[pick]!;
      order[pick] = order[drawn]!;
      order[drawn] = f;
      if (constant[f] === 1) continue;

      const binsOf = data.bins[f]!;
      let lowBin = maxBins;
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
        if (childConstant === constant) childConstant = constant.slice();
        childConstant[f] = 1;
        continue;
      }
      evaluated++;
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
        if (leftCount >= settings.minSamplesLeaf && rightCount >= settings.minSamplesLeaf) {
          const rightW0 = w0 - leftW0;
          const rightW1 = w1 - leftW1;
          const leftWeight = leftW0 + leftW1;
          const rightWeight = rightW0 + rightW1;
          const proxy = -(
            leftWeight * impurity(leftW0, leftW1) +
            rightWeight * impurity(rightW0, rightW1)
          );
          if (proxy > bestProxy) {
            bestProxy = proxy;
            bestFeature = f;
            bestBin = b;
            bestThreshold = (data.binMax[f]![b]! + data.binMin[f]![next]!) / 2;
            bestLeftW0 = leftW0;
            bestLeftW1 = leftW1;
          }
        }
        b = next;
      }
      for (let c = lowBin; c <= highBin; c++) {
        histCount[c] = 0;
        histW[c] = 0;
        histW1[c] = 0;
      }
    }
    if (bestFeature < 0) {
      makeLeaf();
      return;
    }

    // Partition samples[start, end) so rows going left come first.
    const binsOf = data.bins[bestFeature]!;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (binsOf[samples[i]!]! <= bestBin) i++;
      else {
        const swap = samples[i]!;
        samples[i] = samples[j]!;
        samples[j] = swap;
        j--;
      }
    }
    const middle = i;
    const rightW0 = w0 - bestLeftW0;
    const rightW1 = w1 - bestLeftW1;
    importances[bestFeature]! +=
      nodeWeight * nodeImpurity -
      (bestLeftW0 + bestLeftW1) * impurity(bestLeftW0, bestLeftW1) -
      (rightW0 + rightW1) * impurity(rightW0, rightW1);

    feature.push(bestFeature);
    value.push(bestThreshold);
    right.push(-1);
    grow(start, middle, depth + 1, bestLeftW0, bestLeftW1, childConstant);
    right[index] = feature.length;
    grow(middle, end, depth + 1, rightW0, rightW1, childConstant);
  };

  grow(0, samples.length, 0, rootW0, rootW1, new Uint8Array(width));

  let total = 0;
  for (let f = 0; f < width; f++) total += importances[f]!;
  if (total > 0) for (let f = 0; f < width; f++) importances[f]! /= total;
  return {
    feature: Int32Array.from(feature),
    value: Float64Array.from(value),
    right: Int32Array.from(right),
    importances,
    depth: maxDepthSeen,
  };
}

function gini(w0: number, w1: number): number {
  const total = w0 + w1;
  return 1 - (w0 * w0 + w1 * w1) / (total * total);
}

function entropy(w0: number, w1: number): number {
  const total = w0 + w1;
  let h = 0;
  if (w0 > 0) h -= (w0 / total) * Math.log2(w0 / total);
  if (w1 > 0) h -= (w1 / total) * Math.log2(w1 / total);
  return h;
}
