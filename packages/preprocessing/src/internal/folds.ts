import { PreprocessingError } from '../errors.js';
import type { TrainTestIndices } from '../train-test-split.js';

/** Throws unless `folds` is an integer ≥ 2 and at most `rows`. */
export function assertFolds(folds: unknown, rows: number, what: string): asserts folds is number {
  if (typeof folds !== 'number' || !Number.isInteger(folds) || folds < 2) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `${what}: folds must be an integer ≥ 2, got ${String(folds)}`,
    });
  }
  if (folds > rows) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `${what}: folds ${folds} is more than the ${rows} rows`,
    });
  }
}

/**
 * The parts of each fold from every row's test fold — scikit-learn's `_iter_test_masks`: fold by
 * fold, train = the other rows and test = that fold's rows, both ascending.
 */
export function partsFromFolds(testFoldOf: Int32Array, folds: number): TrainTestIndices[] {
  return Array.from({ length: folds }, (_, fold) => {
    const trainIndex: number[] = [];
    const testIndex: number[] = [];
    for (let row = 0; row < testFoldOf.length; row++)
      (testFoldOf[row] === fold ? testIndex : trainIndex).push(row);
    return { trainIndex, testIndex };
  });
}
