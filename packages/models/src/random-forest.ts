import { XSadd } from 'ml-xsadd';
import type {
  Classifier,
  FeatureImportance,
  FeatureMatrix,
  FitOptions,
  PredictOptions,
} from './classifier.js';
import { ModelError } from './errors.js';
import { binFeatures } from './internal/binning.js';
import { growTree } from './internal/cart.js';
import { check, isFiniteArray, isStringArray, readModelState } from './internal/json.js';
import {
  assertFeatures,
  assertLabels,
  assertRow,
  integerOption,
  readFeatureNames,
  readThreshold,
} from './internal/validate.js';

/** How many features a split may look at: scikit-learn's `max_features`. */
export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number;

/** Hyperparameters of {@link RandomForest}, named as scikit-learn names them (camelCase). */
export interface RandomForestOptions {
  /** Trees. Default `100`. */
  nEstimators?: number;
  /** Deepest a tree may grow; `null` = until leaves are pure. Default `null`. */
  maxDepth?: number | null;
  /** Fewest rows a node needs to be split. Default `2`. */
  minSamplesSplit?: number;
  /** Fewest rows each child must keep. Default `1`. */
  minSamplesLeaf?: number;
  /**
   * Features drawn at every split: `'sqrt'` (default), `'log2'`, `'all'`, a count (integer ≥ 1)
   * or a share (0 < x < 1).
   */
  maxFeatures?: MaxFeatures;
  /** Grow each tree on a bootstrap sample. Default `true`. */
  bootstrap?: boolean;
  /** Split quality. Default `'gini'`. */
  criterion?: 'gini' | 'entropy';
  /** Seed of bootstrap samples and feature draws. Default `42`. */
  seed?: number;
  /**
   * Largest number of bins per feature for the split search. A feature with no more distinct
   * values than this is searched exactly. Default `256`.
   */
  maxBins?: number;
}

/** Options for {@link RandomForest.fit}. */
export interface RandomForestFitOptions extends FitOptions {
  /** Called after each tree: for a progress indicator. */
  onProgress?: (treesDone: number, treesTotal: number) => void;
}

/** How the last fit went. */
export interface RandomForestFitInfo {
  trees: number;
  nodes: number;
  maxDepth: number;
  meanDepth: number;
  /** Whether every feature was searched exactly (no more distinct values than `maxBins`). */
  exactSplits: boolean;
}

/** The saved form of a fitted {@link RandomForest}: trees in preorder, as plain arrays. */
export interface RandomForestJSON {
  kind: 'random-forest';
  formatVersion: 1;
  options: Required<RandomForestOptions>;
  featureNames: string[];
  featureImportances: number[];
  /**
   * Each tree in preorder (a split's left child follows it; its right child follows the left
   * subtree). `feature[k]` is the split feature or −1 for a leaf; `value[k]` is the threshold
   * (left when ≤) or, for a leaf, P(class 1).
   */
  trees: { feature: number[]; value: number[] }[];
  fitInfo: RandomForestFitInfo;
}

const DEFAULTS: Required<RandomForestOptions> = {
  nEstimators: 100,
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 'sqrt',
  bootstrap: true,
  criterion: 'gini',
  seed: 42,
  maxBins: 256,
};

/**
 * A random forest classifier as scikit-learn's `RandomForestClassifier`: bootstrap samples, CART
 * trees grown to purity by default, `maxFeatures` features drawn at every split, probabilities
 * that average the trees' leaf class-1 fractions, importances by mean decrease in impurity. Trees
 * are grown on typed arrays from per-bin class histograms and stored flat, so prediction is a
 * tight loop and the saved model stays small.
 *
 * @example
 * ```ts
 * const forest = new RandomForest({ nEstimators: 100, seed: 42 }).fit(features, labels, { featureNames });
 * forest.predictProba(testFeatures);
 * forest.featureImportances(); // [{ feature: 'age', importance: 0.07 }, …]
 * ```
 */
export class RandomForest implements Classifier {
  readonly kind = 'random-forest';
  readonly options: Readonly<Required<RandomForestOptions>>;
  #featureNames: string[] = [];
  #importances: Float64Array | undefined;
  #roots = new Int32Array(0);
  #feature = new Int32Array(0);
  #value = new Float64Array(0);
  #right = new Int32Array(0);
  #fitInfo: RandomForestFitInfo | undefined;

  constructor(options: RandomForestOptions = {}) {
    this.options = Object.freeze(readOptions(options));
  }

  get params(): Record<string, number | string | boolean | null> {
    const o = this.options;
    return {
      n_estimators: o.nEstimators,
      max_depth: o.maxDepth,
      min_samples_split: o.minSamplesSplit,
      min_samples_leaf: o.minSamplesLeaf,
      max_features: o.maxFeatures,
      bootstrap: o.bootstrap,
      criterion: o.criterion,
      random_state: o.seed,
      max_bins: o.maxBins,
    };
  }

  get featureNames(): readonly string[] {
    this.#fitted();
    return this.#featureNames;
  }

  /** Trees, nodes and depths of the last fit. */
  get fitInfo(): RandomForestFitInfo {
    this.#fitted();
    return { ...this.#fitInfo! };
  }

  fit(
    features: FeatureMatrix,
    labels: ArrayLike<number>,
    options: RandomForestFitOptions = {},
  ): this {
    const width = assertFeatures(features, 'RandomForest.fit');
    const n = features.length;
    const y = assertLabels(labels, n, 'RandomForest.fit');
    const names = readFeatureNames(options.featureNames, width, 'RandomForest.fit');
    const settings = {
      maxDepth: this.options.maxDepth ?? Number.POSITIVE_INFINITY,
      minSamplesSplit: this.options.minSamplesSplit,
      minSamplesLeaf: this.options.minSamplesLeaf,
      maxFeatures: resolveMaxFeatures(this.options.maxFeatures, width),
      criterion: this.options.criterion,
    };
    const data = binFeatures(features, width, this.options.maxBins);
    const seeds = new XSadd(this.options.seed);
    const trees = [];
    const importances = new Float64Array(width);
    let treesWithSplits = 0;
    for (let t = 0; t < this.options.nEstimators; t++) {
      const generator = new XSadd(seeds.getUint32());
      const random = () => generator.getUint32() / 4294967296;
      const weight = new Float64Array(n);
      if (this.options.bootstrap) {
        for (let draw = 0; draw < n; draw++) weight[Math.floor(random() * n)]! += 1;
      } else weight.fill(1);
      const tree = growTree(data, y, weight, settings, random);
      trees.push(tree);
      if (tree.feature.length > 1) {
        treesWithSplits++;
        for (let f = 0; f < width; f++) importances[f]! += tree.importances[f]!;
      }
      options.onProgress?.(t + 1, this.options.nEstimators);
    }
    let total = 0;
    for (let f = 0; f < width; f++) total += importances[f]!;
    if (treesWithSplits > 0 && total > 0) for (let f = 0; f < width; f++) importances[f]! /= total;

    this.#setTrees(
      trees.map((tree) => ({ feature: tree.feature, value: tree.value, right: tree.right })),
    );
    this.#featureNames = names;
    this.#importances = importances;
    const depths = trees.map((tree) => tree.depth);
    this.#fitInfo = {
      trees: trees.length,
      nodes: this.#feature.length,
      maxDepth: Math.max(...depths),
      meanDepth: depths.reduce((a, b) => a + b, 0) / depths.length,
      exactSplits: data.exact,
    };
    return this;
  }

  predictProbaRow(row: ArrayLike<number>): number {
    this.#fitted();
    assertRow(row, this.#featureNames.length, 'RandomForest.predictProbaRow');
    return this.#score(row);
  }

  predictProba(features: FeatureMatrix): Float64Array {
    this.#fitted();
    assertFeatures(features, 'RandomForest.predictProba', this.#featureNames.length);
    const out = new Float64Array(features.length);
    for (let i = 0; i < features.length; i++) out[i] = this.#score(features[i]!);
    return out;
  }

  predict(features: FeatureMatrix, options: PredictOptions = {}): Uint8Array {
    const threshold = readThreshold(options.threshold);
    return Uint8Array.from(this.predictProba(features), (probability) =>
      probability >= threshold ? 1 : 0,
    );
  }

  /** Mean decrease in impurity per feature, normalised to sum 1 (scikit-learn's `feature_importances_`). */
  featureImportances(): FeatureImportance[] {
    const importances = this.#fitted();
    return this.#featureNames.map((feature, f) => ({ feature, importance: importances[f]! }));
  }

  toJSON(): RandomForestJSON {
    const importances = this.#fitted();
    const trees = Array.from(this.#roots, (root, t) => {
      const end = t + 1 < this.#roots.length ? this.#roots[t + 1]! : this.#feature.length;
      return {
        feature: Array.from(this.#feature.subarray(root, end)),
        value: Array.from(this.#value.subarray(root, end)),
      };
    });
    return {
      kind: this.kind,
      formatVersion: 1,
      options: { ...this.options },
      featureNames: [...this.#featureNames],
      featureImportances: Array.from(importances),
      trees,
      fitInfo: this.fitInfo,
    };
  }

  /**
   * Rebuilds a fitted forest from {@link RandomForest.toJSON}'s output (object or JSON text),
   * checking every tree's structure, feature indices and leaf values.
   */
  static load(json: unknown): RandomForest {
    const state = readModelState<RandomForestJSON>(json, 'random-forest', 1);
    let forest: RandomForest;
    try {
      forest = new RandomForest(state.options);
    } catch (error) {
      throw new ModelError({
        code: 'INVALID_JSON',
        message: `random-forest: bad options (${(error as Error).message})`,
        cause: error,
      });
    }
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
    forest.#setTrees(trees);
    forest.#featureNames = [...state.featureNames];
    forest.#importances = Float64Array.from(state.featureImportances);
    forest.#fitInfo = state.fitInfo;
    return forest;
  }

  #setTrees(trees: { feature: Int32Array; value: Float64Array; right: Int32Array }[]): void {
    const total = trees.reduce((sum, tree) => sum + tree.feature.length, 0);
    this.#roots = new Int32Array(trees.length);
    this.#feature = new Int32Array(total);
    this.#value = new Float64Array(total);
    this.#right = new Int32Array(total);
    let offset = 0;
    trees.forEach((tree, t) => {
      this.#roots[t] = offset;
      this.#feature.set(tree.feature, offset);
      this.#value.set(tree.value, offset);
      for (let k = 0; k < tree.right.length; k++)
        this.#right[offset + k] = tree.right[k]! < 0 ? -1 : tree.right[k]! + offset;
      offset += tree.feature.length;
    });
  }

  #score(row: ArrayLike<number>): number {
    const feature = this.#feature;
    const value = this.#value;
    const right = this.#right;
    const roots = this.#roots;
    let sum = 0;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t]!;
      let f = feature[node]!;
      while (f >= 0) {
        node = row[f]! <= value[node]! ? node + 1 : right[node]!;
        f = feature[node]!;
      }
      sum += value[node]!;
    }
    return sum / roots.length;
  }

  #fitted(): Float64Array {
    if (!this.#importances) {
      throw new ModelError({
        code: 'NOT_FITTED',
        message: 'RandomForest is not fitted: call fit() first',
      });
    }
    return this.#importances;
  }
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

function readOptions(options: RandomForestOptions): Required<RandomForestOptions> {
  const o = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  integerOption('nEstimators', o.nEstimators, 1, 100_000);
  if (o.maxDepth !== null) integerOption('maxDepth', o.maxDepth, 1, 10_000);
  integerOption('minSamplesSplit', o.minSamplesSplit, 2);
  integerOption('minSamplesLeaf', o.minSamplesLeaf, 1);
  integerOption('seed', o.seed, 0, 0xffffffff);
  integerOption('maxBins', o.maxBins, 2, 65_535);
  if (typeof o.bootstrap !== 'boolean')
    throw new ModelError({ code: 'INVALID_OPTION', message: 'bootstrap must be a boolean' });
  if (o.criterion !== 'gini' && o.criterion !== 'entropy') {
    throw new ModelError({
      code: 'INVALID_OPTION',
      message: `criterion must be 'gini' or 'entropy', got ${JSON.stringify(o.criterion)}`,
    });
  }
  resolveMaxFeatures(o.maxFeatures, Number.MAX_SAFE_INTEGER);
  return o as Required<RandomForestOptions>;
}

function resolveMaxFeatures(maxFeatures: MaxFeatures, width: number): number {
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(width)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(width)));
  if (maxFeatures === 'all') return width;
  if (typeof maxFeatures === 'number' && Number.isInteger(maxFeatures) && maxFeatures >= 1) {
    if (maxFeatures > width) {
      throw new ModelError({
        code: 'INVALID_OPTION',
        message: `maxFeatures ${maxFeatures} exceeds the ${width} features`,
      });
    }
    return maxFeatures;
  }
  if (typeof maxFeatures === 'number' && maxFeatures > 0 && maxFeatures < 1)
    return Math.max(1, Math.floor(maxFeatures * width));
  throw new ModelError({
    code: 'INVALID_OPTION',
    message: `maxFeatures must be 'sqrt', 'log2', 'all', an integer ≥ 1 or a share in (0, 1), got ${JSON.stringify(maxFeatures)}`,
  });
}
