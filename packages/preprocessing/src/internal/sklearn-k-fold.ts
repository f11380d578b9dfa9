import { PreprocessingError } from '../errors.js';
import type { TrainTestIndices } from '../train-test-split.js';
import type { EncodedClasses } from './class-labels.js';
import { partsFromFolds } from './folds.js';
import { NumpyRandomState } from './numpy-random-state.js';

/**
 * scikit-learn 1.2's `StratifiedKFold(folds, shuffle, random_state=seed).split`: with classes in
 * order of first appearance, the sorted class codes are dealt to folds in turn
 * (`np.bincount(y_order[i::folds])`); each class's block of fold numbers is shuffled (one
 * `RandomState` for all classes) and given to its rows in row order. `seed` undefined = no
 * shuffle. `classes` must be in appearance order.
 */
export function sklearnStratifiedKFold(
  classes: EncodedClasses,
  folds: number,
  seed: number | undefined,
): TrainTestIndices[] {
  const counts = classes.members.map((rows) => rows.length);
  if (counts.every((count) => count < folds)) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `stratifiedKFold: folds ${folds} is more than the rows of every class in labels (largest has ${counts.reduce((a, b) => Math.max(a, b), 0)})`,
    });
  }
  const random = seed === undefined ? undefined : new NumpyRandomState(seed);
  const testFoldOf = new Int32Array(classes.length);
  let start = 0;
  classes.members.forEach((rows) => {
    // Positions start … start + rows.length − 1 of the sorted codes; position p goes to fold p % folds.
    const perFold = new Array<number>(folds).fill(0);
    for (let p = start; p < start + rows.length; p++) perFold[p % folds]!++;
    start += rows.length;
    const foldsForClass = perFold.flatMap((count, fold) => new Array<number>(count).fill(fold));
    random?.shuffle(foldsForClass);
    rows.forEach((row, i) => {
      testFoldOf[row] = foldsForClass[i]!;
    });
  });
  return partsFromFolds(testFoldOf, folds);
}

/**
 * scikit-learn 1.2's `KFold(folds, shuffle, random_state=seed).split`: `arange(rows)`, shuffled
 * when `seed` is given, cut into `folds` runs of `rows // folds`, the first `rows % folds` one
 * longer.
 */
export function sklearnKFold(
  rows: number,
  folds: number,
  seed: number | undefined,
): TrainTestIndices[] {
  const order = Array.from({ length: rows }, (_, i) => i);
  if (seed !== undefined) new NumpyRandomState(seed).shuffle(order);
  const testFoldOf = new Int32Array(rows);
  const base = Math.floor(rows / folds);
  let position = 0;
  for (let fold = 0; fold < folds; fold++) {
    const size = base + (fold < rows % folds ? 1 : 0);
    for (let i = 0; i < size; i++) testFoldOf[order[position++]!] = fold;
  }
  return partsFromFolds(testFoldOf, folds);
}
