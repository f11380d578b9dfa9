import { readFileSync } from 'node:fs';
import { rocAuc } from '@heart/metrics';
import { type Classifier, LogisticRegression, RandomForest } from '@heart/models';
import { createHeartPreprocessor, stratifiedKFold } from '@heart/preprocessing';
import { fixturePath } from '@heart/test-support';
import { describe, expect, it } from 'vitest';
import { crossValidate } from './cross-validate.js';
import { Pipeline } from './pipeline.js';
import { cleveland, heartInputSchema } from './test-support/heart.js';

const baseline = JSON.parse(
  readFileSync(fixturePath('reference/sklearn-baseline.json'), 'utf8'),
) as {
  cv: {
    full_303: Record<
      'logistic_regression' | 'random_forest',
      { roc_auc: { mean: number; folds: number[] } }
    >;
  };
};

/** 5-fold CV ROC AUC on all 303 rows with scikit-learn's StratifiedKFold(5, shuffle, 42) folds. */
async function cvOnSklearnFolds(createClassifier: () => Classifier): Promise<number[]> {
  const { rows, missing } = await cleveland();
  const labels = rows.map((row) => row.target);
  return crossValidate({
    records: rows,
    labels,
    folds: stratifiedKFold({ labels, folds: 5, seed: 42, method: 'sklearn' }),
    createPipeline: () =>
      new Pipeline({
        preprocessor: createHeartPreprocessor(),
        classifier: createClassifier(),
        inputSchema: heartInputSchema(missing),
      }),
    score: (y, p) => rocAuc(y, p),
  });
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe("crossValidate: a fresh pipeline per fold, on scikit-learn's folds", () => {
  it("gives scikit-learn's 5-fold CV ROC AUC for logistic regression, fold by fold (tolerance 1e-3)", async () => {
    const aucs = await cvOnSklearnFolds(() => new LogisticRegression({ maxIter: 1000 }));
    baseline.cv.full_303.logistic_regression.roc_auc.folds.forEach((expected, fold) => {
      expect(Math.abs(aucs[fold]! - expected)).toBeLessThanOrEqual(1e-3);
    });
  });

  it('reaches 5-fold CV ROC AUC ≥ 0.905 for the forest (scikit-learn: 0.914)', async () => {
    const aucs = await cvOnSklearnFolds(() => new RandomForest({ nEstimators: 100, seed: 42 }));
    expect(mean(aucs)).toBeGreaterThanOrEqual(0.905);
  });

  it('reports each fold as it finishes', async () => {
    const { rows, missing } = await cleveland();
    const labels = rows.map((row) => row.target);
    const seen: string[] = [];
    crossValidate({
      records: rows,
      labels,
      folds: stratifiedKFold({ labels, folds: 3, seed: 1, method: 'sklearn' }),
      createPipeline: () =>
        new Pipeline({
          preprocessor: createHeartPreprocessor(),
          classifier: new LogisticRegression(),
          inputSchema: heartInputSchema(missing),
        }),
      score: (y, p) => rocAuc(y, p),
      onFold: (done, total) => seen.push(`${done}/${total}`),
    });
    expect(seen).toEqual(['1/3', '2/3', '3/3']);
  });
});
