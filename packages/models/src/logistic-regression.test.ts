import { rocAuc } from '@heart/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from './load-model.js';
import { LogisticRegression } from './logistic-regression.js';
import { baseline, fromSklearnName, referenceSplit } from './test-support/heart-data.js';
import { modelError } from './test-support/model-error.js';

let split: Awaited<ReturnType<typeof referenceSplit>>;
let model: LogisticRegression;
beforeAll(async () => {
  split = await referenceSplit();
  model = new LogisticRegression({ C: 1, maxIter: 1000 }).fit(
    split.trainFeatures,
    split.trainLabels,
    {
      featureNames: split.featureNames,
    },
  );
});

describe('LogisticRegression against scikit-learn on the reference split', () => {
  it('finds the same coefficients and intercept (tolerance 1e-3)', () => {
    for (const [name, expected] of Object.entries(baseline.lr_params.coef)) {
      const j = split.featureNames.indexOf(fromSklearnName(name));
      expect(j, name).toBeGreaterThanOrEqual(0);
      expect(Math.abs(model.coefficients[j]! - expected), name).toBeLessThanOrEqual(1e-3);
    }
    expect(Math.abs(model.intercept - baseline.lr_params.intercept)).toBeLessThanOrEqual(1e-3);
  });

  it('gives the same test probabilities (1e-3 per row) and ROC AUC (within 0.002 of 0.9665)', () => {
    const probabilities = model.predictProba(split.testFeatures);
    probabilities.forEach((probability, i) => {
      expect(Math.abs(probability - baseline.test_predictions.lr_proba[i]!)).toBeLessThanOrEqual(
        1e-3,
      );
    });
    expect(Math.abs(rocAuc(split.testLabels, probabilities) - 0.9665)).toBeLessThanOrEqual(0.002);
  });

  it('converges and reports how', () => {
    const info = model.fitInfo;
    expect(info.converged).toBe(true);
    expect(info.iterations).toBeGreaterThan(0);
    expect(info.iterations).toBeLessThan(20);
    expect(info.gradientMax).toBeLessThanOrEqual(1e-4);
    expect(model.params).toEqual({
      C: 1,
      max_iter: 1000,
      tol: 1e-4,
      fit_intercept: true,
      penalty: 'l2',
      solver: 'newton-cholesky',
    });
  });

  it('fails loudly when maxIter is reached, or records a warning when told to', () => {
    const error = modelError(() =>
      new LogisticRegression({ maxIter: 1, tol: 1e-12 }).fit(
        split.trainFeatures,
        split.trainLabels,
      ),
    );
    expect(error.code).toBe('NOT_CONVERGED');
    expect(error.message).toContain('did not converge in maxIter=1');
    const warned = new LogisticRegression({ maxIter: 1, tol: 1e-12, onNotConverged: 'warn' }).fit(
      split.trainFeatures,
      split.trainLabels,
    );
    expect(warned.fitInfo).toMatchObject({
      converged: false,
      iterations: 1,
      warning: 'not converged in 1 iterations',
    });
  });

  it('shrinks coefficients as C falls, and can fit without intercept', () => {
    const norm = (m: LogisticRegression) => Math.hypot(...m.coefficients);
    const strong = new LogisticRegression({ C: 0.01 }).fit(split.trainFeatures, split.trainLabels);
    expect(norm(strong)).toBeLessThan(norm(model) / 3);
    const noIntercept = new LogisticRegression({ fitIntercept: false }).fit(
      split.trainFeatures,
      split.trainLabels,
    );
    expect(noIntercept.intercept).toBe(0);
  });

  it('names |coefficient| importances, predicts with a threshold, and predicts one row alike', () => {
    const importances = model.featureImportances();
    expect(importances.map((item) => item.feature)).toEqual(split.featureNames);
    expect(importances[0]!.importance).toBe(Math.abs(model.coefficients[0]!));
    const probabilities = model.predictProba(split.testFeatures);
    expect(Array.from(model.predict(split.testFeatures))).toEqual(
      Array.from(probabilities, (p) => (p >= 0.5 ? 1 : 0)),
    );
    expect(Array.from(model.predict(split.testFeatures, { threshold: 0.9 }))).toEqual(
      Array.from(probabilities, (p) => (p >= 0.9 ? 1 : 0)),
    );
    expect(model.predictProbaRow(split.testFeatures[5]!)).toBe(probabilities[5]);
  });

  it('saves to JSON and loads back to the same predictions; refuses what it does not know', () => {
    const text = JSON.stringify(model);
    const restored = loadModel(text);
    expect(restored).toBeInstanceOf(LogisticRegression);
    expect(restored.predictProba(split.testFeatures)).toEqual(
      model.predictProba(split.testFeatures),
    );
    expect(JSON.stringify(restored)).toBe(text);
    const json = model.toJSON();
    expect(modelError(() => LogisticRegression.load({ ...json, formatVersion: 2 })).code).toBe(
      'INVALID_JSON',
    );
    expect(
      modelError(() => LogisticRegression.load({ ...json, kind: 'random-forest' })).message,
    ).toBe('expected kind "logistic-regression", got "random-forest"');
    expect(
      modelError(() => LogisticRegression.load({ ...json, coefficients: [1, null] })).code,
    ).toBe('INVALID_JSON');
    expect(modelError(() => LogisticRegression.load({ ...json, featureNames: ['a'] })).code).toBe(
      'INVALID_JSON',
    );
    expect(
      modelError(() => LogisticRegression.load({ ...json, options: { ...json.options, C: -1 } }))
        .code,
    ).toBe('INVALID_JSON');
  });

  it('validates inputs at the door', () => {
    const lr = new LogisticRegression();
    expect(modelError(() => lr.predictProba(split.testFeatures)).code).toBe('NOT_FITTED');
    expect(modelError(() => lr.fit([[1, Number.NaN]], [1])).message).toContain(
      'row 0 feature 1 is NaN',
    );
    expect(modelError(() => lr.fit([[1, 2], [3]], [0, 1])).code).toBe('SHAPE_MISMATCH');
    expect(modelError(() => lr.fit([[1], [2]], [1, 1])).code).toBe('SINGLE_CLASS');
    expect(modelError(() => lr.fit([[1], [2]], [0, 2])).message).toContain('label 1 is 2');
    expect(modelError(() => lr.fit([[1], [2]], [0])).code).toBe('SHAPE_MISMATCH');
    expect(modelError(() => lr.fit([[1], [2]], [0, 1], { featureNames: ['a', 'b'] })).code).toBe(
      'INVALID_OPTION',
    );
    expect(modelError(() => model.predictProba([[1, 2, 3]])).message).toContain(
      'row 0 has 3 features, expected 28',
    );
    expect(
      modelError(() => model.predict(split.testFeatures, { threshold: Number.NaN })).code,
    ).toBe('INVALID_OPTION');
    expect(modelError(() => new LogisticRegression({ C: 0 })).code).toBe('INVALID_OPTION');
    expect(modelError(() => new LogisticRegression({ maxIter: 1.5 })).code).toBe('INVALID_OPTION');
  });
});
