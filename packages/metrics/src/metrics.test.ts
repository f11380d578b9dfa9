import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classificationReport } from './classification-report.js';
import { confusionMatrix } from './confusion-matrix.js';
import { precisionRecallCurve, rocCurve } from './curves.js';
import { MetricsError } from './errors.js';
import { brierScore, logLoss } from './probability-metrics.js';
import { averagePrecision, rocAuc } from './ranking-metrics.js';
import { baseline, metricCases } from './test-support/reference.js';
import { accuracy, f1, precision, recall } from './threshold-metrics.js';

const TOLERANCE = 1e-9;
const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(TOLERANCE);

describe.each(metricCases)('scikit-learn case $name (tolerance 1e-9)', (testCase) => {
  const { y_true: labels, y_score: scores, threshold } = testCase;

  it('matches every metric', () => {
    close(accuracy(labels, scores, { threshold }), testCase.accuracy);
    close(precision(labels, scores, { threshold }), testCase.precision);
    close(recall(labels, scores, { threshold }), testCase.recall);
    close(f1(labels, scores, { threshold }), testCase.f1);
    close(rocAuc(labels, scores), testCase.roc_auc);
    close(averagePrecision(labels, scores), testCase.average_precision);
    close(logLoss(labels, scores), testCase.log_loss);
    close(brierScore(labels, scores), testCase.brier);
    expect(confusionMatrix(labels, scores, { threshold }).matrix).toEqual(
      testCase.confusion_matrix,
    );
  });

  it('gives the same numbers through classificationReport and from typed arrays', () => {
    const report = classificationReport(Uint8Array.from(labels), Float64Array.from(scores), {
      threshold,
    });
    close(report.rocAuc, testCase.roc_auc);
    close(report.averagePrecision, testCase.average_precision);
    close(report.f1, testCase.f1);
    close(report.logLoss, testCase.log_loss);
    const [[tn, fp], [fn, tp]] = testCase.confusion_matrix;
    expect(report.confusionMatrix).toEqual({ tn, fp, fn, tp });
  });
});

describe.each([
  ['logistic_regression', 'lr_proba'],
  ['random_forest', 'rf_proba'],
] as const)('the reference test split, %s', (model, column) => {
  it('recomputes test_metrics from test_predictions (tolerance 1e-9)', () => {
    const expected = baseline.test_metrics[model];
    const labels = baseline.test_predictions.y_true;
    const report = classificationReport(labels, baseline.test_predictions[column]);
    close(report.accuracy, expected.accuracy);
    close(report.precision, expected.precision);
    close(report.recall, expected.recall);
    close(report.f1, expected.f1);
    close(report.rocAuc, expected.roc_auc);
    close(report.averagePrecision, expected.average_precision);
    close(report.logLoss, expected.log_loss);
    close(report.brierScore, expected.brier);
    expect(report.confusionMatrix).toEqual({
      tn: expected.confusion_matrix.tn,
      fp: expected.confusion_matrix.fp,
      fn: expected.confusion_matrix.fn,
      tp: expected.confusion_matrix.tp,
    });
  });
});

/** Recorded from scikit-learn 1.2.1 by scripts/record-sklearn-curves.py. */
const sklearnCurves = JSON.parse(
  readFileSync(new URL('./__fixtures__/sklearn-curves.json', import.meta.url), 'utf8'),
) as {
  cases: Record<
    string,
    {
      roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
      pr: { precision: number[]; recall: number[]; thresholds: number[] };
    }
  >;
};

function closeArrays(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, index) => {
    close(value, expected[index]!);
  });
}

describe.each(metricCases)(
  'scikit-learn curves, case $name (tolerance 1e-9)',
  ({ name, y_true, y_score }) => {
    it('rocCurve and precisionRecallCurve match roc_curve and precision_recall_curve point for point', () => {
      const expected = sklearnCurves.cases[name]!;
      const roc = rocCurve(y_true, y_score);
      closeArrays(roc.fpr, expected.roc.fpr);
      closeArrays(roc.tpr, expected.roc.tpr);
      closeArrays(roc.thresholds, expected.roc.thresholds);
      const pr = precisionRecallCurve(y_true, y_score);
      closeArrays(pr.precision, expected.pr.precision);
      closeArrays(pr.recall, expected.pr.recall);
      closeArrays(pr.thresholds, expected.pr.thresholds);
    });
  },
);

describe('curves', () => {
  it('rocCurve: starts at (0, 0), ends at (1, 1), drops collinear points, area equals rocAuc', () => {
    const labels = [0, 0, 1, 1, 0, 1, 0, 1];
    const scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    const curve = rocCurve(labels, scores);
    expect(curve.fpr[0]).toBe(0);
    expect(curve.tpr[0]).toBe(0);
    expect(curve.fpr.at(-1)).toBe(1);
    expect(curve.tpr.at(-1)).toBe(1);
    expect(curve.thresholds[0]).toBeCloseTo(1.8, 12);
    let area = 0;
    for (let k = 1; k < curve.fpr.length; k++)
      area += ((curve.fpr[k]! - curve.fpr[k - 1]!) * (curve.tpr[k]! + curve.tpr[k - 1]!)) / 2;
    close(area, rocAuc(labels, scores));
    const full = rocCurve(labels, scores, { dropIntermediate: false });
    expect(full.fpr).toHaveLength(9);
    expect(curve.fpr.length).toBeLessThan(full.fpr.length);
  });

  it('precisionRecallCurve: ascending thresholds, ends at precision 1 / recall 0, step sum is average precision', () => {
    const {
      y_true: labels,
      y_score: scores,
      average_precision,
    } = metricCases.find((c) => c.name === 'random-6')!;
    const curve = precisionRecallCurve(labels, scores);
    expect(curve.precision.at(-1)).toBe(1);
    expect(curve.recall.at(-1)).toBe(0);
    expect(curve.recall[0]).toBe(1);
    expect(curve.thresholds).toEqual([...curve.thresholds].sort((a, b) => a - b));
    expect(curve.precision).toHaveLength(curve.thresholds.length + 1);
    let ap = 0;
    for (let k = 0; k < curve.thresholds.length; k++)
      ap += (curve.recall[k]! - curve.recall[k + 1]!) * curve.precision[k]!;
    close(ap, average_precision);
  });
});

describe('bad input gets a coded error', () => {
  function code(fn: () => unknown): string {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(MetricsError);
      return (error as MetricsError).code;
    }
    return 'no error';
  }

  it('refuses AUC of a single class instead of returning 0.5 or NaN', () => {
    expect(code(() => rocAuc([1, 1, 1], [0.2, 0.5, 0.9]))).toBe('SINGLE_CLASS');
    expect(code(() => rocAuc([0, 0], [0.2, 0.5]))).toBe('SINGLE_CLASS');
    expect(code(() => averagePrecision([0, 0], [0.2, 0.5]))).toBe('SINGLE_CLASS');
    expect(code(() => rocCurve([0, 0], [0.2, 0.5]))).toBe('SINGLE_CLASS');
    expect(code(() => classificationReport([1, 1], [0.2, 0.5]))).toBe('SINGLE_CLASS');
    expect(() => rocAuc([1, 1], [0.2, 0.5])).toThrow(
      'ROC AUC is undefined: labels hold only class 1 (2 rows); it needs both classes',
    );
    expect(averagePrecision([1, 1], [0.2, 0.5])).toBe(1);
  });

  it('refuses wrong lengths, NaN scores, bad labels, empty input and bad options', () => {
    expect(code(() => accuracy([0, 1], [0.5]))).toBe('LENGTH_MISMATCH');
    expect(() => rocAuc([0, 1, 1], [0.1, Number.NaN, 0.3])).toThrow(
      'rocAuc: scores[1] is NaN, expected a finite number',
    );
    expect(code(() => f1([0, 2], [0.1, 0.2]))).toBe('INVALID_LABEL');
    expect(code(() => precision([], []))).toBe('EMPTY_INPUT');
    expect(code(() => logLoss([0, 1], [0.1, 1.2]))).toBe('INVALID_SCORE');
    expect(code(() => brierScore([0, 1], [-0.1, 0.2]))).toBe('INVALID_SCORE');
    expect(code(() => recall([0, 1], [0.1, 0.2], { threshold: Number.NaN }))).toBe(
      'INVALID_OPTION',
    );
    expect(code(() => accuracy('01' as never, [0, 1]))).toBe('INVALID_OPTION');
    expect(code(() => logLoss([0, 1], [0.1, 0.2], { eps: 0 }))).toBe('INVALID_OPTION');
  });

  it('scores ties exactly as scikit-learn: a tied pair counts one half', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0, 1, 0, 1], [0.2, 0.2, 0.9, 0.9])).toBe(0.5);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });
});
