import { PreprocessingError } from './errors.js';
import { indicesByClass } from './internal/labels.js';
import { createRandom, shuffleInPlace } from './internal/random.js';

/** Options for {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Binary labels (0/1), one per row. */
  labels: ArrayLike<number>;
  /** Share (0–1, exclusive) or number of rows for the test set. Default `0.2`. */
  testSize?: number;
  /** Keep the class balance in both parts. Default `true`. */
  stratify?: boolean;
  /** Seed of the shuffle. Default `42`. */
  seed?: number;
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
 * always gives the same split; it does not reproduce numpy's random stream.
 *
 * @example
 * ```ts
 * const { trainIndex, testIndex } = trainTestSplit({ labels, testSize: 0.2, seed: 42 });
 * ```
 */
export function trainTestSplit(options: TrainTestSplitOptions): TrainTestIndices {
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
    testIndex.push(...members.slice(0, testPerClass[c]));
    trainIndex.push(...members.slice(testPerClass[c], testPerClass[c]! + trainPerClass[c]!));
  }
  return {
    trainIndex: shuffleInPlace(trainIndex, random),
    testIndex: shuffleInPlace(testIndex, random),
  };
}

function testCount(testSize: number, n: number): number {
  if (typeof testSize !== 'number' || !Number.isFinite(testSize) || testSize <= 0) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `trainTestSplit: testSize must be positive, got ${testSize}`,
    });
  }
  const count = testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (!Number.isInteger(count) || count >= n) {
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
