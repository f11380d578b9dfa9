import { PreprocessingError } from './errors.js';
import { assertFolds } from './internal/folds.js';
import { assertNumpySeed } from './internal/numpy-random-state.js';
import { sklearnKFold } from './internal/sklearn-k-fold.js';
import { assertSplitOptions } from './internal/split-method.js';
import type { TrainTestIndices } from './train-test-split.js';

/** The most rows an index array holds (the longest JavaScript array). */
const MAX_ROWS = 2 ** 32 - 1;

/** Options for {@link kFold}. */
export interface KFoldOptions {
  /** Number of rows to split (`len(X)`). */
  rowCount: number;
  /** Number of folds, at least 2 and at most `rowCount` (`n_splits`). Default `5`. */
  folds?: number;
  /** Shuffle the rows before cutting folds. Default `true` (scikit-learn's is `False`). */
  shuffle?: boolean;
  /**
   * `random_state` of the shuffle, an integer in `0..2**32 - 1`. Ignored without `shuffle`.
   * Default `42`.
   */
  seed?: number;
}

/**
 * K-fold cross-validation indices, exactly scikit-learn 1.2's for `random_state = seed`:
 * `KFold(folds, shuffle=shuffle, random_state=seed).split(X)` — the rows (shuffled with numpy's
 * `RandomState(seed)`) cut into `folds` runs, the first `rowCount % folds` one row longer. Folds
 * in order, indices within a part ascending. No stratification: see {@link stratifiedKFold}.
 *
 * @example
 * ```ts
 * // KFold(5, shuffle=True, random_state=42).split(X), X with 303 rows:
 * for (const { trainIndex, testIndex } of kFold({ rowCount: 303, folds: 5, seed: 42 })) { … }
 * ```
 */
export function kFold(options: KFoldOptions): TrainTestIndices[] {
  assertSplitOptions(options, 'kFold', 'rowCount');
  const { rowCount } = options;
  if (typeof rowCount !== 'number' || !Number.isInteger(rowCount) || rowCount < 1) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `kFold: rowCount must be a positive integer, got ${String(rowCount)}`,
    });
  }
  // Above 2**32 - 1 rows no index array can hold them: refused, not a RangeError.
  if (rowCount > MAX_ROWS) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `kFold: rowCount must be at most ${MAX_ROWS} (the longest array), got ${rowCount}`,
    });
  }
  const folds = options.folds ?? 5;
  assertFolds(folds, rowCount, 'kFold');
  const seed = options.shuffle === false ? undefined : (options.seed ?? 42);
  if (seed !== undefined) assertNumpySeed(seed, 'kFold');
  return sklearnKFold(rowCount, folds, seed);
}
