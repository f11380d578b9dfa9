import { averagePrecisionOf, rankingCurve, rocAreaOf } from './internal/ranking.js';
import { assertBothClasses, assertInputs } from './internal/validate.js';
import type { Labels, Scores } from './types.js';

/**
 * Area under the ROC curve, ties handled as scikit-learn's `roc_auc_score` (a tied positive and
 * negative count one half). O(n log n). Labels of a single class make it undefined: that throws
 * `SINGLE_CLASS` rather than returning 0.5 or NaN.
 *
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * ```
 */
export function rocAuc(labels: Labels, scores: Scores): number {
  const checked = assertInputs(labels, scores, 'rocAuc');
  assertBothClasses(checked.positives, labels.length, 'ROC AUC');
  return rocAreaOf(rankingCurve(checked.labels, checked.scores, checked.positives));
}

/**
 * Average precision as scikit-learn's `average_precision_score`: the step-wise sum
 * Σ (Rₙ − Rₙ₋₁) Pₙ over thresholds, not the trapezoid area under the PR curve. Undefined without
 * positive labels (`SINGLE_CLASS`).
 *
 * @example
 * ```ts
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333…
 * ```
 */
export function averagePrecision(labels: Labels, scores: Scores): number {
  const checked = assertInputs(labels, scores, 'averagePrecision');
  if (checked.positives === 0) assertBothClasses(0, labels.length, 'Average precision');
  return averagePrecisionOf(rankingCurve(checked.labels, checked.scores, checked.positives));
}
