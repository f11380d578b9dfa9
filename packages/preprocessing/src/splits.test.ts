import { loadDataset } from '@heart/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { stratifiedKFold } from './stratified-k-fold.js';
import { baseline, CLEVELAND_FILE } from './test-support/reference.js';
import { trainTestSplit } from './train-test-split.js';

let labels: number[];
beforeAll(async () => {
  labels = (await loadDataset(CLEVELAND_FILE)).rows.map((row) => row.target);
});

const positives = (indices: number[]) => indices.filter((index) => labels[index] === 1).length;

describe('trainTestSplit', () => {
  it('splits Cleveland 242/61 with 111/28 positives, as scikit-learn does', () => {
    const { trainIndex, testIndex } = trainTestSplit({ labels, testSize: 0.2, seed: 42 });
    expect([trainIndex.length, testIndex.length]).toEqual([
      baseline.split.train_index.length,
      baseline.split.test_index.length,
    ]);
    expect([positives(trainIndex), positives(testIndex)]).toEqual([111, 28]);
    expect(new Set([...trainIndex, ...testIndex]).size).toBe(303);
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const a = trainTestSplit({ labels, seed: 7 });
    expect(trainTestSplit({ labels, seed: 7 })).toEqual(a);
    expect(trainTestSplit({ labels, seed: 8 }).testIndex).not.toEqual(a.testIndex);
  });

  it('takes a row count, and can skip stratification', () => {
    expect(trainTestSplit({ labels, testSize: 100 }).testIndex).toHaveLength(100);
    const plain = trainTestSplit({ labels, stratify: false, seed: 1 });
    expect(plain.testIndex).toHaveLength(61);
    expect(new Set([...plain.trainIndex, ...plain.testIndex]).size).toBe(303);
  });

  it('refuses bad sizes, labels and seeds', () => {
    expect(() => trainTestSplit({ labels, testSize: 0 })).toThrow(/testSize must be positive/);
    expect(() => trainTestSplit({ labels, testSize: 303 })).toThrow(/leaves no training rows/);
    expect(() => trainTestSplit({ labels: [0, 1, 2] })).toThrow(/label 2 is 2, expected 0 or 1/);
    expect(() => trainTestSplit({ labels: [0, 0, 0, 0] })).toThrow(/needs both classes/);
    expect(() => trainTestSplit({ labels: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1] })).toThrow(
      /too few to appear in both parts/,
    );
    expect(() => trainTestSplit({ labels, seed: -1 })).toThrow(/seed must be an integer/);
  });
});

describe('stratifiedKFold', () => {
  it('tests each row exactly once, with balanced folds and classes', () => {
    const folds = stratifiedKFold({ labels, folds: 5, seed: 42 });
    expect(folds).toHaveLength(5);
    const tested = folds.flatMap((fold) => fold.testIndex).sort((a, b) => a - b);
    expect(tested).toEqual(Array.from({ length: 303 }, (_, i) => i));
    const sizes = folds.map((fold) => fold.testIndex.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const pos = folds.map((fold) => positives(fold.testIndex));
    expect(Math.max(...pos) - Math.min(...pos)).toBeLessThanOrEqual(1);
    for (const fold of folds) {
      expect(fold.trainIndex.length + fold.testIndex.length).toBe(303);
      expect(fold.trainIndex.some((index) => fold.testIndex.includes(index))).toBe(false);
    }
  });

  it('is seeded and stable; without shuffle it follows row order', () => {
    expect(stratifiedKFold({ labels, seed: 3 })).toEqual(stratifiedKFold({ labels, seed: 3 }));
    expect(stratifiedKFold({ labels, seed: 3 })).not.toEqual(stratifiedKFold({ labels, seed: 4 }));
    const plain = stratifiedKFold({ labels: [0, 0, 1, 1, 0, 1], folds: 3, shuffle: false });
    expect(plain.map((fold) => fold.testIndex)).toEqual([
      [0, 2],
      [1, 3],
      [4, 5],
    ]);
  });

  it('refuses fewer rows of a class than folds', () => {
    expect(() => stratifiedKFold({ labels: [0, 0, 0, 1], folds: 2 })).toThrow(
      /smallest class has 1 rows/,
    );
    expect(() => stratifiedKFold({ labels, folds: 1 })).toThrow(/folds must be an integer ≥ 2/);
  });
});
