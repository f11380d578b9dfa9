import { ModelError } from '../errors.js';
import type { RandomForestJSON } from '../random-forest.js';
import type { ForestTree } from './flat-forest.js';
import { check, isFiniteArray, isStringArray } from './json.js';

/** The parts of a saved forest that {@link readForestTrees} has checked. */
interface CheckedForest {
  featureNames: string[];
  importances: Float64Array;
  trees: ForestTree[];
}

/**
 * Checks the feature names, importances and trees of a saved forest (its `kind`, `formatVersion`
 * and options checked already) and rebuilds each tree's right-child links; `INVALID_JSON` at the
 * first fault.
 */
export function readForestTrees(state: RandomForestJSON): CheckedForest {
  check(
    isStringArray(state.featureNames) && state.featureNames.length > 0,
    state.kind,
    'featureNames must be strings',
  );
  const width = state.featureNames.length;
  check(
    isFiniteArray(state.featureImportances, width),
    state.kind,
    'featureImportances must hold one number per feature',
  );
  check(
    Array.isArray(state.trees) && state.trees.length > 0,
    state.kind,
    'trees must be a non-empty array',
  );
  const trees = state.trees.map((tree, t) => {
    check(
      tree &&
        isFiniteArray(tree.feature) &&
        isFiniteArray(tree.value, tree.feature.length) &&
        tree.feature.length > 0,
      state.kind,
      `tree ${t}: feature and value must be arrays of equal length`,
    );
    return {
      feature: Int32Array.from(tree.feature),
      value: Float64Array.from(tree.value),
      right: linkPreorder(tree.feature, tree.value, width, t),
    };
  });
  return {
    featureNames: [...state.featureNames],
    importances: Float64Array.from(state.featureImportances),
    trees,
  };
}

/**
 * Computes right-child links of a preorder tree, refusing anything that is not a proper binary
 * tree. Iterative (an explicit stack of open splits), so a hostile tree cannot overflow the call
 * stack before the depth check fires.
 */
function linkPreorder(feature: number[], value: number[], width: number, t: number): Int32Array {
  const right = new Int32Array(feature.length).fill(-1);
  const fail = (message: string): never => {
    throw new ModelError({ code: 'INVALID_JSON', message: `random-forest: tree ${t}: ${message}` });
  };
  /** Splits whose left subtree is being read (`true`: reading the right one). */
  const open: { node: number; rightSide: boolean }[] = [];
  let position = 0;
  do {
    if (position >= feature.length) fail('the tree ends before every split has two children');
    if (open.length > 10_000) fail('deeper than 10000 levels');
    const k = position++;
    const f = feature[k]!;
    if (f !== -1) {
      if (!Number.isInteger(f) || f < 0 || f >= width)
        fail(`node ${k} splits on feature ${f}, expected -1 or 0..${width - 1}`);
      open.push({ node: k, rightSide: false });
      continue;
    }
    if (!(value[k]! >= 0 && value[k]! <= 1)) fail(`leaf ${k} has probability ${value[k]}`);
    // A leaf closes every split whose right subtree it ends; the next node is a right child.
    while (open.length > 0 && open[open.length - 1]!.rightSide) open.pop();
    const parent = open[open.length - 1];
    if (parent) {
      parent.rightSide = true;
      right[parent.node] = position;
    }
  } while (open.length > 0);
  if (position !== feature.length)
    fail(`${feature.length - position} nodes follow the complete tree`);
  return right;
}
