import { describe, expect, it } from 'vitest';
import { PreprocessingError } from './errors.js';
import { kFold } from './k-fold.js';
import { stratifiedKFold } from './stratified-k-fold.js';
import { trainTestSplit } from './train-test-split.js';

const labels = [2, 5, 7, 2, 5, 7, 2, 5, 7, 2, 5, 7];

function codeOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    if (error instanceof PreprocessingError) return error.code;
    throw error;
  }
  return undefined;
}

describe("method 'sklearn' refuses what scikit-learn refuses, with coded errors", () => {
  it.each([
    [{ labels: [0, 0, 1, 1, 2] }, 'INVALID_INPUT', /class 2 of labels has only 1 row/],
    [{ labels, testSize: 2 }, 'INVALID_OPTION', /testSize gives 2 test rows, fewer than the 3/],
    [{ labels, testSize: 10 }, 'INVALID_OPTION', /testSize gives 2 training rows/],
    [{ labels, testSize: 0 }, 'INVALID_OPTION', /testSize must be positive/],
    [{ labels, testSize: 12 }, 'INVALID_OPTION', /testSize 12 leaves no training rows/],
    [{ labels, testSize: 0.99 }, 'INVALID_OPTION', /testSize 0.99 leaves no training rows/],
    [{ labels, testSize: 1.5 }, 'INVALID_OPTION', /testSize must be a share in \(0, 1\)/],
    [
      { labels, seed: -1 },
      'INVALID_OPTION',
      /trainTestSplit: seed must be an integer in 0\.\.4294967295/,
    ],
    [{ labels, seed: 2 ** 32 }, 'INVALID_OPTION', /seed must be an integer/],
    [{ labels: [0, 1.5] }, 'INVALID_INPUT', /label 1 is 1.5, expected an integer class label/],
    [{ labels: [] }, 'INVALID_INPUT', /labels is empty/],
    [{ labels, method: 'numpy' }, 'INVALID_OPTION', /method must be 'heart' or 'sklearn'/],
  ] as const)('trainTestSplit(%j) → %s', (options, code, message) => {
    const call = () => trainTestSplit({ method: 'sklearn', ...options } as never);
    expect(call).toThrow(message);
    expect(codeOf(call)).toBe(code);
  });

  it.each([
    [{ labels, folds: 5 }, 'INVALID_OPTION', /folds 5 is more than the rows of every class/],
    [{ labels, folds: 13 }, 'INVALID_OPTION', /folds 13 is more than the 12 rows/],
    [{ labels, folds: 1 }, 'INVALID_OPTION', /folds must be an integer ≥ 2/],
    [{ labels, seed: 1.5 }, 'INVALID_OPTION', /stratifiedKFold: seed must be an integer/],
    [{ labels: ['a', 'b'] }, 'INVALID_INPUT', /label 0 is "a", expected an integer/],
  ] as const)('stratifiedKFold(%j) → %s', (options, code, message) => {
    const call = () => stratifiedKFold({ method: 'sklearn', folds: 2, ...options } as never);
    expect(call).toThrow(message);
    expect(codeOf(call)).toBe(code);
  });

  it('accepts a class with fewer rows than folds, as scikit-learn does (it only warns)', () => {
    const folds = stratifiedKFold({ labels: [0, 0, 0, 0, 1], folds: 3, method: 'sklearn' });
    expect(folds.flatMap((fold) => fold.testIndex).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([
    [{ rowCount: 0 }, /kFold: rowCount must be a positive integer/],
    [{ rowCount: 4, folds: 5 }, /kFold: folds 5 is more than the 4 rows/],
    [{ rowCount: 10, seed: -3 }, /kFold: seed must be an integer/],
  ] as const)('kFold(%j) throws INVALID_OPTION', (options, message) => {
    expect(() => kFold(options)).toThrow(message);
    expect(codeOf(() => kFold(options))).toBe('INVALID_OPTION');
  });

  it('ignores the seed without shuffle, as the folds do not depend on it', () => {
    expect(kFold({ rowCount: 5, shuffle: false, seed: -1 }).map((f) => f.testIndex)).toEqual([
      [0],
      [1],
      [2],
      [3],
      [4],
    ]);
  });
});
