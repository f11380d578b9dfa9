import { readFileSync } from 'node:fs';
import { type HeartRow, loadDataset } from '@heart/data';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { fixturePath } from '@heart/test-support';

// scikit-learn's output names (`num__age`, `cat__thal_7.0`) as ours, shared with the preprocessing tests.
export { fromSklearnName } from '../../../preprocessing/src/test-support/reference.js';

/** scikit-learn 1.2.1's answers on the Cleveland data (the parts these tests read). */
export interface SklearnBaseline {
  split: { train_index: number[]; test_index: number[] };
  lr_params: { intercept: number; coef: Record<string, number>; n_iter: number };
  test_predictions: { index: number[]; y_true: number[]; lr_proba: number[]; rf_proba: number[] };
  test_metrics: { logistic_regression: { roc_auc: number }; random_forest: { roc_auc: number } };
  cv: {
    full_303: {
      random_forest: { roc_auc: { mean: number } };
      logistic_regression: { roc_auc: { mean: number } };
    };
  };
}

export const baseline = JSON.parse(
  readFileSync(fixturePath('reference/sklearn-baseline.json'), 'utf8'),
) as SklearnBaseline;

/** All 303 Cleveland rows, parsed from the repository's fixture copy of the UCI file. */
async function clevelandRows(): Promise<HeartRow[]> {
  return (await loadDataset(fixturePath('data/uci-heart-disease/processed.cleveland.data'))).rows;
}

/** The reference split, preprocessed as the Python pipeline does (fitted on the training rows). */
export async function referenceSplit() {
  const rows = await clevelandRows();
  const train = baseline.split.train_index.map((index) => rows[index]!);
  const test = baseline.split.test_index.map((index) => rows[index]!);
  const preprocessor = createHeartPreprocessor().fit(train);
  return {
    featureNames: preprocessor.featureNames,
    trainFeatures: preprocessor.transform(train),
    trainLabels: train.map((row) => row.target),
    testFeatures: preprocessor.transform(test),
    testLabels: test.map((row) => row.target),
  };
}
