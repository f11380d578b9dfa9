import { loadDataset } from '@heart/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { kFold } from './k-fold.js';
import { stratifiedKFold } from './stratified-k-fold.js';
import { baseline, CLEVELAND_FILE } from './test-support/reference.js';
import {
  clevelandCvFolds,
  digest,
  largeCaseLabels,
  type RecordedFold,
  sklearnSplits,
} from './test-support/sklearn-splits.js';
import type { TrainTestIndices } from './train-test-split.js';
import { trainTestSplit } from './train-test-split.js';

const asRecorded = (folds: TrainTestIndices[]): RecordedFold[] =>
  folds.map(({ trainIndex, testIndex }) => ({ train_index: trainIndex, test_index: testIndex }));
const named = <T extends { name: string }>(cases: T[]) => cases.map((c) => [c.name, c] as const);

describe(`method 'sklearn' against scikit-learn ${sklearnSplits.sklearn} on Cleveland`, () => {
  let labels: number[];
  beforeAll(async () => {
    labels = (await loadDataset(CLEVELAND_FILE)).rows.map((row) => row.target);
  });

  it('trainTestSplit returns the reference split of sklearn-baseline.json index for index', () => {
    const split = trainTestSplit({ labels, testSize: 0.2, seed: 42, method: 'sklearn' });
    expect(split.trainIndex).toEqual(baseline.split.train_index);
    expect(split.testIndex).toEqual(baseline.split.test_index);
  });

  it("stratifiedKFold returns the models package's recorded CV folds index for index", () => {
    const folds = stratifiedKFold({ labels, folds: 5, seed: 42, method: 'sklearn' });
    expect(folds.map((fold) => fold.testIndex)).toEqual(clevelandCvFolds.test_index);
  });
});

describe(`method 'sklearn' against recorded scikit-learn ${sklearnSplits.sklearn} cases`, () => {
  it.each(named(sklearnSplits.train_test_split))('trainTestSplit: %s', (_, recorded) => {
    const split = trainTestSplit({
      labels: recorded.labels,
      testSize: recorded.test_size,
      stratify: recorded.stratify,
      seed: recorded.seed,
      method: 'sklearn',
    });
    expect(split.trainIndex).toEqual(recorded.train_index);
    expect(split.testIndex).toEqual(recorded.test_index);
  });

  it.each(named(sklearnSplits.stratified_k_fold))('stratifiedKFold: %s', (_, recorded) => {
    const folds = stratifiedKFold({
      labels: recorded.labels,
      folds: recorded.folds_count,
      shuffle: recorded.shuffle,
      seed: recorded.seed ?? undefined,
      method: 'sklearn',
    });
    expect(asRecorded(folds)).toEqual(recorded.folds);
  });

  it.each(named(sklearnSplits.k_fold))('kFold: %s', (_, recorded) => {
    const folds = kFold({
      rowCount: recorded.n,
      folds: recorded.folds_count,
      shuffle: recorded.shuffle,
      seed: recorded.seed ?? undefined,
    });
    expect(asRecorded(folds)).toEqual(recorded.folds);
  });

  it.each(named(sklearnSplits.large))('trainTestSplit: %s', (_, recorded) => {
    const split = trainTestSplit({
      labels: largeCaseLabels(recorded.n),
      testSize: recorded.test_size,
      seed: recorded.seed,
      method: 'sklearn',
    });
    expect(digest(split.trainIndex)).toEqual(recorded.train);
    expect(digest(split.testIndex)).toEqual(recorded.test);
  });
});
