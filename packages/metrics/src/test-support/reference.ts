import { readFileSync } from 'node:fs';
import { fixturePath } from '@heart/test-support';

/** One generated case with scikit-learn 1.2.1's answers. */
export interface MetricCase {
  name: string;
  y_true: number[];
  y_score: number[];
  threshold: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number;
  average_precision: number;
  log_loss: number;
  brier: number;
  confusion_matrix: [[number, number], [number, number]];
}

export const metricCases = (
  JSON.parse(readFileSync(fixturePath('reference/sklearn-metrics.json'), 'utf8')) as {
    cases: MetricCase[];
  }
).cases;

interface ModelMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number;
  average_precision: number;
  log_loss: number;
  brier: number;
  confusion_matrix: {
    matrix: [[number, number], [number, number]];
    tn: number;
    fp: number;
    fn: number;
    tp: number;
  };
}

export const baseline = JSON.parse(
  readFileSync(fixturePath('reference/sklearn-baseline.json'), 'utf8'),
) as {
  test_metrics: { logistic_regression: ModelMetrics; random_forest: ModelMetrics };
  test_predictions: { y_true: number[]; lr_proba: number[]; rf_proba: number[] };
};
