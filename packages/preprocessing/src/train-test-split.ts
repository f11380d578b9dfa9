import { PreprocessingError } from './errors.js';
import { encodeClasses } from './internal/class-labels.js';
import { indicesByClass } from './internal/labels.js';
import { assertNumpySeed } from './internal/numpy-random-state.js';
import { createRandom, shuffleInPlace } from './internal/random.js';
import {
  sklearnShuffleSplit,
  sklearnStratifiedShuffleSplit,
} from './internal/sklearn-shuffle-split.js';
import { assertSplitOptions, splitMethod } from './internal/split-method.js';

/**
 * Which algorithm and random stream a split uses: `'heart'`, heart's own seeded shuffle (XSadd),
 * or `'sklearn'`, exactly scikit-learn 1.2's indices for `random_state = seed` (numpy's legacy
 * `RandomState`, MT19937).
 */
export type SplitMethod = 'heart' | 'sklearn';

/** Options for {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Class labels, one per row: 0/1 with `method: 'heart'`, any integers with `'sklearn'`. */
  labels: ArrayLike<number>;
  /**
   * Test set size: a share strictly between 0 and 1 (`ceil(testSize · n)` rows) or a whole
   * number of rows below `n` — scikit-learn's `test_size` (Python's `test_size=1` is one row;
   * its float `1.0` is an error there and has no equivalent here). Default `0.2`.
   */
  testSize?: number;
  /** Keep the class balance in both parts (`stratify=labels`). Default `true`. */
  stratify?: boolean;
  /**
   * Seed of the shuffle, an integer in `0..2**32 - 1`; with `'sklearn'` it is `random_state`.
   * Default `42`.
   */
  seed?: number;
  /**
   * `'heart'` (default) or `'sklearn'`: exactly scikit-learn 1.2's indices for
   * `random_state = seed`, as `train_test_split(np.arange(n), test_size=testSize,
   * random_state=seed, stratify=labels if stratify else None)` returns them (both parts in
   * scikit-learn's order, not sorted).
   */
  method?: SplitMethod;
}

/** Row indices of the two parts, each in shuffled order. */
export interface TrainTestIndices {
  trainIndex: number[];
  testIndex: number[];
}

/**
 * Splits row indices into a training and a test part, seeded, stratified by default — what
 * scikit-learn's `train_test_split(…, stratify=y)` does: `ceil(testSize · n)` test rows, each
 * class contributing in proportion (largest remainders get the leftover rows). The same seed
 * always gives the same split. With the default `method: 'heart'` it does not reproduce
 * numpy's random stream; with `method: 'sklearn'` it returns exactly scikit-learn 1.2's indices
 * for `random_state = seed` (`StratifiedShuffleSplit`, or `ShuffleSplit` when `stratify` is
 * `false`), for any integer labels.
 *
 * @example
 * ```ts
 * const { trainIndex, testIndex } = trainTestSplit({ labels, testSize: 0.2, seed: 42 });
 * // train_test_split(np.arange(n), test_size=0.2, random_state=42, stratify=labels):
 * const python = trainTestSplit({ labels, testSize: 0.2, seed: 42, method: 'sklearn' });
 * ```
 */
export function trainTestSplit(options: TrainTestSplitOptions): TrainTestIndices {
  assertSplitOptions(options, 'trainTestSplit', 'labels');
  if (splitMethod(options.method, 'trainTestSplit') === 'sklearn') {
    return sklearnTrainTestSplit(options);
  }
  const classes = indicesByClass(options.labels, 'trainTestSplit');
  const n = classes[0].length + classes[1].length;
  const testSize = options.testSize ?? 0.2;
  const nTest = testCount(testSize, n);
  const random = createRandom(options.seed ?? 42);
  if (options.stratify === false) {
    const order = shuffleInPlace(
      Array.from({ length: n }, (_, i) => i),
      random,
    );
    return { testIndex: order.slice(0, nTest), trainIndex: order.slice(nTest) };
  }
  const present = classes.filter((members) => members.length > 0);
  if (present.length < 2) {
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: 'trainTestSplit: stratification needs both classes in labels',
    });
  }
  const testPerClass = apportion(
    nTest,
    classes.map((members) => members.length),
  );
  const trainPerClass = apportion(
    n - nTest,
    classes.map((members, c) => members.length - testPerClass[c]!),
  );
  for (let c = 0; c < 2; c++) {
    if (classes[c]!.length > 0 && (testPerClass[c] === 0 || trainPerClass[c] === 0)) {
      throw new PreprocessingError({
        code: 'INVALID_OPTION',
        message: `trainTestSplit: class ${c} has ${classes[c]!.length} rows, too few to appear in both parts with testSize ${testSize}`,
      });
    }
  }
  const trainIndex: number[] = [];
  const testIndex: number[] = [];
  for (let c = 0; c < 2; c++) {
    const members = shuffleInPlace([...classes[c]!], random);
    // A loop, not push(...slice): a spread of ~1e6 arguments overflows the stack.
    const testEnd = testPerClass[c]!;
    const trainEnd = testEnd + trainPerClass[c]!;
    for (let i = 0; i < testEnd; i++) testIndex.push(members[i]!);
    for (let i = testEnd; i < trainEnd; i++) trainIndex.push(members[i]!);
  }
  return {
    trainIndex: shuffleInPlace(trainIndex, random),
    testIndex: shuffleInPlace(testIndex, random),
  };
}

function sklearnTrainTestSplit(options: TrainTestSplitOptions): TrainTestIndices {
  const classes = encodeClasses(options.labels, 'trainTestSplit', 'sorted');
  const nTest = testCount(options.testSize ?? 0.2, classes.length);
  const seed = options.seed ?? 42;
  assertNumpySeed(seed, 'trainTestSplit');
  return options.stratify === false
    ? sklearnShuffleSplit(classes.length, nTest, seed)
    : sklearnStratifiedShuffleSplit(classes, nTest, seed);
}

/** scikit-learn's `_validate_shuffle_split` for `test_size` alone: the number of test rows. */
function testCount(testSize: number, n: number): number {
  if (typeof testSize !== 'number' || !Number.isFinite(testSize) || testSize <= 0) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `trainTestSplit: testSize must be positive, got ${testSize}`,
    });
  }
  if (testSize > 1 && !Number.isInteger(testSize)) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `trainTestSplit: testSize must be a share in (0, 1) or a whole number of rows, got ${testSize}`,
    });
  }
  const count = testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (count >= n) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `trainTestSplit: testSize ${testSize} leaves no training rows out of ${n} (use a share below 1 or a whole number below ${n})`,
    });
  }
  return count;
}

/**
 * Splits `total` among groups in proportion to `sizes`: floors first, then one more to the
 * largest remainders (the first group on ties) — scikit-learn's `_approximate_mode`, made
 * deterministic.
 */
function apportion(total: number, sizes: number[]): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((size) => (total * size) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left === 0) break;
    if (counts[index]! < sizes[index]!) {
      counts[index]!++;
      left--;
    }
  }
  return counts;
}
