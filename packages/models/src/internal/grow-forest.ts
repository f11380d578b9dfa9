import { XSadd } from 'ml-xsadd';
import type { BinnedFeatures } from './binning.js';
import { type GrownTree, growTree, type TreeSettings } from './cart.js';

/** How a forest is grown: its trees, their samples and seed, and how each tree grows. */
export interface ForestSettings {
  nEstimators: number;
  bootstrap: boolean;
  seed: number;
  tree: TreeSettings;
}

/**
 * Grows `nEstimators` trees, each on its own bootstrap sample (or on every row) with its own
 * generator seeded from `seed`; returns them with the forest's importances (the sum over trees
 * that split, normalised to sum 1).
 */
export function growForest(
  data: BinnedFeatures,
  labels: Uint8Array,
  settings: ForestSettings,
  onProgress?: (treesDone: number, treesTotal: number) => void,
): { trees: GrownTree[]; importances: Float64Array } {
  const n = labels.length;
  const width = data.bins.length;
  const seeds = new XSadd(settings.seed);
  const trees: GrownTree[] = [];
  const importances = new Float64Array(width);
  let treesWithSplits = 0;
  for (let t = 0; t < settings.nEstimators; t++) {
    const generator = new XSadd(seeds.getUint32());
    const random = () => generator.getUint32() / 4294967296;
    const weight = new Float64Array(n);
    if (settings.bootstrap) {
      for (let draw = 0; draw < n; draw++) weight[Math.floor(random() * n)]! += 1;
    } else weight.fill(1);
    const tree = growTree(data, labels, weight, settings.tree, random);
    trees.push(tree);
    if (tree.feature.length > 1) {
      treesWithSplits++;
      for (let f = 0; f < width; f++) importances[f]! += tree.importances[f]!;
    }
    onProgress?.(t + 1, settings.nEstimators);
  }
  let total = 0;
  for (let f = 0; f < width; f++) total += importances[f]!;
  if (treesWithSplits > 0 && total > 0) for (let f = 0; f < width; f++) importances[f]! /= total;
  return { trees, importances };
}
