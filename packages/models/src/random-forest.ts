import type {
  Classifier,
  FeatureImportance,
  Features,
  FitOptions,
  PredictOptions,
} from './classifier.js';
import { ModelError } from './errors.js';
import { binFeatures } from './internal/binning.js';
import { readFeatures } from './internal/features.js';
import {
  type FlatForest,
  flattenTrees,
  scoreRow,
  scoreRows,
  treesToJSON,
} from './internal/flat-forest.js';
import { readForestTrees } from './internal/forest-json.js';
import {
  FOREST_OPTION_NAMES,
  readForestOptions,
  resolveMaxFeatures,
} from './internal/forest-options.js';
import { forestImportances } from './internal/grow-forest.js';
import { readModelState } from './internal/json.js';
import { growForest, predictOnWorkers, shareForest } from './internal/parallel-forest.js';
import {
  assertKnownOptions,
  assertLabels,
  assertRow,
  readCallOptions,
  readFeatureNames,
  readThreshold,
} from './internal/validate.js';
import { threadCount } from './internal/worker-pool.js';

/** Rows × trees from which `predictProba` scores on workers (with `nJobs` > 1). */
const PARALLEL_PREDICT_WORK = 2_000_000;

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
  /**
   * Worker threads for `fit` and for `predictProba` on large batches, as scikit-learn's
   * `n_jobs`: a count, or −1 for every core (−2 all but one, …). The forest is the same for any
   * value (each tree's seed comes from `seed` and its index). Not saved with the model.
   * Default `1` (this thread only).
   */
  nJobs?: number;
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
  options: Required<Omit<RandomForestOptions, 'nJobs'>>;
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
  readonly options: Readonly<Required<Omit<RandomForestOptions, 'nJobs'>>>;
  #nJobs = 1;
  #featureNames: string[] = [];
  #importances: Float64Array | undefined;
  #forest: FlatForest = flattenTrees([]);
  /** The forest on shared memory, made on the first prediction on workers. */
  #shared: FlatForest | undefined;
  #fitInfo: RandomForestFitInfo | undefined;

  constructor(options: RandomForestOptions = {}) {
    assertKnownOptions('RandomForest', options, FOREST_OPTION_NAMES, { randomState: 'seed' });
    const { nJobs, ...rest } = options;
    this.options = Object.freeze(readForestOptions(rest));
    this.nJobs = nJobs ?? 1;
  }

  /** Worker threads for `fit` and large `predictProba` calls (scikit-learn's `n_jobs`); settable. */
  get nJobs(): number {
    return this.#nJobs;
  }

  set nJobs(value: number) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value === 0 || value < -1024) {
      throw new ModelError({
        code: 'INVALID_OPTION',
        message: `nJobs must be a non-zero integer (a thread count, or -1 for every core), got ${String(value)}`,
      });
    }
    this.#nJobs = Math.min(value, 1024);
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
      n_jobs: this.#nJobs,
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

  fit(features: Features, labels: ArrayLike<number>, options: RandomForestFitOptions = {}): this {
    const input = readFeatures(features, 'RandomForest.fit');
    const width = input.p;
    const y = assertLabels(labels, input.n, 'RandomForest.fit');
    readCallOptions(options, 'RandomForest.fit');
    const names = readFeatureNames(options.featureNames, width, 'RandomForest.fit');
    const tree = {
      maxDepth: this.options.maxDepth ?? Number.POSITIVE_INFINITY,
      minSamplesSplit: this.options.minSamplesSplit,
      minSamplesLeaf: this.options.minSamplesLeaf,
      maxFeatures: resolveMaxFeatures(this.options.maxFeatures, width),
      criterion: this.options.criterion,
    };
    const workers = Math.min(threadCount(this.#nJobs), this.options.nEstimators);
    const data = binFeatures(input, this.options.maxBins, workers > 1);
    const { nEstimators, bootstrap, seed } = this.options;
    const settings = { nEstimators, bootstrap, seed, tree };
    const trees = growForest(data, y, settings, workers, options.onProgress);
    this.#forest = flattenTrees(trees);
    this.#shared = undefined;
    this.#featureNames = names;
    this.#importances = forestImportances(trees, width);
    const depths = trees.map((tree) => tree.depth);
    this.#fitInfo = {
      trees: trees.length,
      nodes: this.#forest.feature.length,
      maxDepth: Math.max(...depths),
      meanDepth: depths.reduce((a, b) => a + b, 0) / depths.length,
      exactSplits: data.exact,
    };
    return this;
  }

  predictProbaRow(row: ArrayLike<number>): number {
    this.#fitted();
    assertRow(row, this.#featureNames.length, 'RandomForest.predictProbaRow');
    return scoreRow(this.#forest, row);
  }

  predictProba(features: Features): Float64Array {
    this.#fitted();
    const input = readFeatures(features, 'RandomForest.predictProba', this.#featureNames.length);
    const { n, p, dense, rows } = input;
    const workers = threadCount(this.#nJobs);
    if (workers > 1 && n * this.#forest.roots.length >= PARALLEL_PREDICT_WORK) {
      this.#shared ??= shareForest(this.#forest);
      return predictOnWorkers(this.#shared, input, workers);
    }
    const out = new Float64Array(n);
    // Rows are copied into one block from 16 on: walking the trees block-wise pays for the copy.
    const block = dense ?? (n >= 16 ? packRows(rows!, p) : undefined);
    if (block) scoreRows(this.#forest, block, p, out, n);
    else for (let i = 0; i < n; i++) out[i] = scoreRow(this.#forest, rows![i]!);
    return out;
  }

  predict(features: Features, options: PredictOptions = {}): Uint8Array {
    const threshold = readThreshold(readCallOptions(options, `RandomForest.predict`).threshold);
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
    return {
      kind: this.kind,
      formatVersion: 1,
      options: { ...this.options },
      featureNames: [...this.#featureNames],
      featureImportances: Array.from(importances),
      trees: treesToJSON(this.#forest),
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
      // Files saved before unknown options were refused may carry them in `options`: dropped.
      forest = new RandomForest(
        Object.fromEntries(
          Object.entries(state.options ?? {}).filter(([name]) =>
            FOREST_OPTION_NAMES.includes(name),
          ),
        ),
      );
    } catch (error) {
      throw new ModelError({
        code: 'INVALID_JSON',
        message: `random-forest: bad options (${(error as Error).message})`,
        cause: error,
      });
    }
    const saved = readForestTrees(state);
    forest.#forest = flattenTrees(saved.trees);
    forest.#featureNames = saved.featureNames;
    forest.#importances = saved.importances;
    forest.#fitInfo = state.fitInfo;
    return forest;
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

/** Rows end to end in one row-major array. */
function packRows(rows: readonly ArrayLike<number>[], columns: number): Float64Array {
  const data = new Float64Array(rows.length * columns);
  for (let i = 0; i < rows.length; i++) data.set(rows[i]!, i * columns);
  return data;
}
