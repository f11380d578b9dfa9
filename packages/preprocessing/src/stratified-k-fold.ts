import { PreprocessingError } from './errors.js';
import { indicesByClass } from './internal/labels.js';
import { createRandom, shuffleInPlace } from './internal/random.js';
import type { TrainTestIndices } from './train-test-split.js';

/** Options for {@link stratifiedKFold}. */
export interface StratifiedKFoldOptions {
  /** Binary labels (0/1), one per row. */
  labels: ArrayLike<number>;
  /** Number of folds, at least 2. Default `5`. */
  folds?: number;
  /** Shuffle each class before assigning folds. Default `true`. */
  shuffle?: boolean;
  /** Seed of the shuffle. Default `42`. */
  seed?: number;
}

/**
 * Stratified k-fold cross-validation indices — scikit-learn's `StratifiedKFold`: every fold's
 * class counts differ by at most one, fold sizes by at most one, each row is tested exactly once.
 * Indices within a part are ascending.
 *
 * @example
 * ```ts
 * for (const { trainIndex, testIndex } of stratifiedKFold({ labels, folds: 5, seed: 42 })) { … }
 * ```
 */
export function stratifiedKFold(options: StratifiedKFoldOptions): TrainTestIndices[] {
  const classes = indicesByClass(options.labels, 'stratifiedKFold');
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `stratifiedKFold: folds must be an integer ≥ 2, got ${folds}`,
    });
  }
  const smallest = Math.min(classes[0].length, classes[1].length);
  if (smallest < folds) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `stratifiedKFold: the smallest class has ${smallest} rows, fewer than ${folds} folds`,
    });
  }
  const random = options.shuffle === false ? undefined : createRandom(options.seed ?? 42);
  // Rows sorted by class (each class shuffled), dealt to folds in turn: scikit-learn's allocation.
  const ordered = classes.flatMap((members) =>
    random ? shuffleInPlace([...members], random) : members,
  );
  const foldOf = new Int32Array(ordered.length);
  ordered.forEach((row, position) => {
    foldOf[row] = position % folds;
  });
  return Array.from({ length: folds }, (_, fold) => {
    const trainIndex: number[] = [];
    const testIndex: number[] = [];
    for (let row = 0; row < foldOf.length; row++)
      (foldOf[row] === fold ? testIndex : trainIndex).push(row);
    return { trainIndex, testIndex };
  });
}
