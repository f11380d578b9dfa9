import { PreprocessingError } from '../errors.js';
import type { TrainTestIndices } from '../train-test-split.js';
import type { EncodedClasses } from './class-labels.js';
import { NumpyRandomState } from './numpy-random-state.js';

/**
 * scikit-learn 1.2's `ShuffleSplit` (the first split, as `train_test_split(stratify=None)` takes
 * it): `permutation(n)`, test = its first `nTest`, train = the rest.
 */
export function sklearnShuffleSplit(n: number, nTest: number, seed: number): TrainTestIndices {
  const order = new NumpyRandomState(seed).permutation(n);
  return { trainIndex: order.slice(nTest), testIndex: order.slice(0, nTest) };
}

/**
 * scikit-learn 1.2's `StratifiedShuffleSplit._iter_indices`, first split: per-class counts by
 * `_approximate_mode` (train first, then test from what is left), each class's rows permuted,
 * then train and test each permuted. `classes` must be in `np.unique` (sorted) order.
 */
export function sklearnStratifiedShuffleSplit(
  classes: EncodedClasses,
  nTest: number,
  seed: number,
): TrainTestIndices {
  const nTrain = classes.length - nTest;
  const counts = classes.members.map((rows) => rows.length);
  checkStratifiable(classes, counts, nTrain, nTest);
  const random = new NumpyRandomState(seed);
  const trainCounts = approximateMode(counts, nTrain, random);
  const testCounts = approximateMode(
    counts.map((count, k) => count - trainCounts[k]!),
    nTest,
    random,
  );
  const trainIndex: number[] = [];
  const testIndex: number[] = [];
  classes.members.forEach((rows, k) => {
    const order = random.permutation(rows.length);
    const trainEnd = trainCounts[k]!;
    const testEnd = trainEnd + testCounts[k]!;
    for (let i = 0; i < trainEnd; i++) trainIndex.push(rows[order[i]!]!);
    for (let i = trainEnd; i < testEnd; i++) testIndex.push(rows[order[i]!]!);
  });
  return { trainIndex: random.shuffle(trainIndex), testIndex: random.shuffle(testIndex) };
}

function checkStratifiable(
  classes: EncodedClasses,
  counts: number[],
  nTrain: number,
  nTest: number,
): void {
  const smallest = counts.reduce((best, count, k) => (count < counts[best]! ? k : best), 0);
  if (counts[smallest]! < 2) {
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `trainTestSplit: class ${classes.values[smallest]} of labels has only 1 row; stratify needs at least 2 rows per class`,
    });
  }
  const k = counts.length;
  for (const [part, size] of [
    ['training', nTrain],
    ['test', nTest],
  ] as const) {
    if (size < k) {
      throw new PreprocessingError({
        code: 'INVALID_OPTION',
        message: `trainTestSplit: testSize gives ${size} ${part} rows, fewer than the ${k} classes in labels (stratify needs one of each)`,
      });
    }
  }
}

/**
 * scikit-learn's `_approximate_mode(class_counts, n_draws, rng)`: `count / total · draws`
 * floored, then +1 to the largest remainders; among equal remainders the ones that get +1 are
 * drawn with `rng.choice(…, replace=False)` (a draw is made even when all of them get one).
 */
function approximateMode(
  counts: readonly number[],
  draws: number,
  random: NumpyRandomState,
): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((count) => (count / total) * draws);
  const floored = continuous.map(Math.floor);
  let needToAdd = draws - floored.reduce((a, b) => a + b, 0);
  if (needToAdd <= 0) return floored;
  const remainder = continuous.map((value, k) => value - floored[k]!);
  const values = [...new Set(remainder)].sort((a, b) => b - a);
  for (const value of values) {
    const tied = remainder.flatMap((other, k) => (other === value ? [k] : []));
    const addNow = Math.min(tied.length, needToAdd);
    for (const k of random.choice(tied, addNow)) floored[k]!++;
    needToAdd -= addNow;
    if (needToAdd === 0) break;
  }
  return floored;
}
