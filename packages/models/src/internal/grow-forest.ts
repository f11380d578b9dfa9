import type { BinnedFeatures } from './binning.js';
import { type GrownTree, growTree, type TreeSettings, treeScratch } from './cart.js';
import { Xsadd } from './xsadd.js';

/** How a forest is grown: its trees, their samples and seed, and how each tree grows. */
export interface ForestSettings {
  nEstimators: number;
  bootstrap: boolean;
  seed: number;
  tree: TreeSettings;
}

/**
 * The seed of every tree: the first `count` outputs of an XSadd generator seeded with the forest's
 * seed. A tree's seed depends on the forest seed and its index only, so a tree is the same
 * whichever thread grows it, and in whatever order.
 */
export function treeSeeds(seed: number, count: number): Uint32Array {
  const seeds = new Xsadd(seed);
  const out = new Uint32Array(count);
  for (let t = 0; t < count; t++) out[t] = seeds.uint32();
  return out;
}

/** Grows one tree from its seed: its bootstrap sample (or every row), then CART. */
export function growSeededTree(
  data: BinnedFeatures,
  labels: Uint8Array,
  settings: ForestSettings,
  treeSeed: number,
): GrownTree {
  const n = labels.length;
  const generator = new Xsadd(treeSeed);
  const scratch = treeScratch(n);
  if (settings.bootstrap) bootstrap(generator, scratch.counts);
  else scratch.counts.fill(1);
  return growTree(data, labels, scratch, settings.tree, () => generator.uniform());
}

/**
 * n draws with replacement: `counts[i]` = how often row i was drawn (row ⌊u·n⌋ per uniform u),
 * the generator's state held in locals for the loop.
 */
function bootstrap(generator: Xsadd, counts: Int32Array): void {
  const n = counts.length;
  counts.fill(0);
  let { s0, s1, s2, s3 } = generator;
  for (let draw = 0; draw < n; draw++) {
    let t = s0;
    t ^= t << 15;
    t ^= t >>> 18;
    t ^= s3 << 11;
    s0 = s1;
    s1 = s2;
    s2 = s3;
    s3 = t >>> 0;
    counts[Math.floor((((s3 + s2) >>> 0) / 4294967296) * n)]!++;
  }
  Object.assign(generator, { s0, s1, s2, s3 });
}

/**
 * Grows `nEstimators` trees on this thread, each from its own seed ({@link treeSeeds}); calls
 * `onTree` as each is done.
 */
export function growTreesHere(
  data: BinnedFeatures,
  labels: Uint8Array,
  settings: ForestSettings,
  onTree: (index: number, tree: GrownTree) => void,
): void {
  const seeds = treeSeeds(settings.seed, settings.nEstimators);
  for (let t = 0; t < seeds.length; t++) {
    onTree(t, growSeededTree(data, labels, settings, seeds[t]!));
  }
}

/**
 * The forest's importances: the sum over the trees that split (in tree order, so the sum is the
 * same whichever thread grew which tree), normalised to sum 1.
 */
export function forestImportances(trees: readonly GrownTree[], width: number): Float64Array {
  const importances = new Float64Array(width);
  for (const tree of trees) {
    if (tree.feature.length <= 1) continue;
    for (let f = 0; f < width; f++) importances[f]! += tree.importances[f]!;
  }
  let total = 0;
  for (let f = 0; f < width; f++) total += importances[f]!;
  if (total > 0) for (let f = 0; f < width; f++) importances[f]! /= total;
  return importances;
}
