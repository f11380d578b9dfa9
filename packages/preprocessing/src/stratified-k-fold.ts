import { PreprocessingError } from './errors.js';
import { encodeClasses } from './internal/class-labels.js';
import { assertFolds, partsFromFolds } from './internal/folds.js';
import { indicesByClass } from './internal/labels.js';
import { assertNumpySeed } from './internal/numpy-random-state.js';
import { createRandom, shuffleInPlace } from './internal/random.js';
import { sklearnStratifiedKFold } from './internal/sklearn-k-fold.js';
import { assertSplitOptions, splitMethod } from './internal/split-method.js';
import type { SplitMethod, TrainTestIndices } from './train-test-split.js';

/** Options for {@link stratifiedKFold}. */
export interface StratifiedKFoldOptions {
  /** Class labels, one per row: 0/1 with `method: 'heart'`, any integers with `'sklearn'`. */
  labels: ArrayLike<number>;
  /** Number of folds, at least 2 (`n_splits`). Default `5`. */
  folds?: number;
  /** Shuffle each class before assigning folds. Default `true` (scikit-learn's is `False`). */
  shuffle?: boolean;
  /**
   * Seed of the shuffle, an integer in `0..2**32 - 1`; with `'sklearn'` it is `random_state`.
   * Ignored without `shuffle`. Default `42`.
   */
  seed?: number;
  /**
   * `'heart'` (default) or `'sklearn'`: exactly scikit-learn 1.2's indices for
   * `random_state = seed`, as `StratifiedKFold(folds, shuffle=shuffle,
   * random_state=seed).split(X, labels)` yields them. Like scikit-learn, `'sklearn'` accepts a
   * class with fewer rows than folds (scikit-learn only warns; some test folds then lack it),
   * failing only when every class is that small.
   */
  method?: SplitMethod;
}

/**
 * Stratified k-fold cross-validation indices — scikit-learn's `StratifiedKFold`: every fold's
 * class counts differ by at most one, fold sizes by at most one, each row is tested exactly once.
 * Folds in order, indices within a part ascending. With `method: 'sklearn'` the folds are
 * exactly scikit-learn 1.2's for `random_state = seed`, for any integer labels.
 *
 * @example
 * ```ts
 * for (const { trainIndex, testIndex } of stratifiedKFold({ labels, folds: 5, seed: 42 })) { … }
 * // StratifiedKFold(5, shuffle=True, random_state=42).split(X, labels):
 * const python = stratifiedKFold({ labels, folds: 5, seed: 42, method: 'sklearn' });
 * ```
 */
export function stratifiedKFold(options: StratifiedKFoldOptions): TrainTestIndices[] {
  assertSplitOptions(options, 'stratifiedKFold', 'labels');
  const method = splitMethod(options.method, 'stratifiedKFold');
  const folds = options.folds ?? 5;
  const seed = options.shuffle === false ? undefined : (options.seed ?? 42);
  if (method === 'sklearn') {
    const classes = encodeClasses(options.labels, 'stratifiedKFold', 'appearance');
    assertFolds(folds, classes.length, 'stratifiedKFold');
    if (seed !== undefined) assertNumpySeed(seed, 'stratifiedKFold');
    return sklearnStratifiedKFold(classes, folds, seed);
  }
  const classes = indicesByClass(options.labels, 'stratifiedKFold');
  assertFolds(folds, classes[0].length + classes[1].length, 'stratifiedKFold');
  const smallest = Math.min(classes[0].length, classes[1].length);
  if (smallest < folds) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `stratifiedKFold: the smallest class has ${smallest} rows, fewer than ${folds} folds`,
    });
  }
  const random = seed === undefined ? undefined : createRandom(seed);
  // Rows sorted by class (each class shuffled), dealt to folds in turn: scikit-learn's allocation.
  const ordered = classes.flatMap((members) =>
    random ? shuffleInPlace([...members], random) : members,
  );
  const foldOf = new Int32Array(ordered.length);
  ordered.forEach((row, position) => {
    foldOf[row] = position % folds;
  });
  return partsFromFolds(foldOf, folds);
}
