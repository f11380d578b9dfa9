import { readFileSync } from 'node:fs';
import type { HeartRow } from '@heart/data';
import { rocAuc } from '@heart/metrics';
import { createHeartPreprocessor } from '@heart/preprocessing';
import type { Classifier } from '../classifier.js';

/** Test indices of scikit-learn's StratifiedKFold(5, shuffle=True, random_state=42), recorded. */
export const sklearnFolds = (
  JSON.parse(
    readFileSync(new URL('../__fixtures__/sklearn-cv-folds.json', import.meta.url), 'utf8'),
  ) as { test_index: number[][] }
).test_index;

/** ROC AUC of each fold: preprocessor and model fitted on the fold's training rows only. */
export function crossValidate(
  rows: HeartRow[],
  folds: number[][],
  createModel: () => Classifier,
): number[] {
  return folds.map((testIndex) => {
    const test = new Set(testIndex);
    const train = rows.filter((_, index) => !test.has(index));
    const held = testIndex.map((index) => rows[index]!);
    const preprocessor = createHeartPreprocessor().fit(train);
    const model = createModel().fit(
      preprocessor.transform(train),
      train.map((row) => row.target),
    );
    return rocAuc(
      held.map((row) => row.target),
      model.predictProba(preprocessor.transform(held)),
    );
  });
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
