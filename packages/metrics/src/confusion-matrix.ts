import { assertInputs, readOptions, readThreshold } from './internal/validate.js';
import type { Labels, Scores } from './types.js';

/** Options of the thresholded metrics. */
export interface ThresholdOptions {
  /** A score ≥ `threshold` is predicted positive. Default `0.5`; 0/1 predictions work as scores. */
  threshold?: number;
}

/** Counts of a binary confusion matrix. */
export interface ConfusionMatrix {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
  /** `[[tn, fp], [fn, tp]]`: rows are true labels, columns predictions (scikit-learn's layout). */
  matrix: [[number, number], [number, number]];
  /** The label of each row/column: `[0, 1]`. */
  labels: [0, 1];
}

/**
 * The confusion matrix of labels against thresholded scores, laid out as scikit-learn's
 * `confusion_matrix(y_true, y_pred)`.
 *
 * @example
 * ```ts
 * confusionMatrix([0, 1, 1], [0.2, 0.7, 0.4]).matrix; // [[1, 0], [1, 1]]
 * ```
 */
export function confusionMatrix(
  labels: Labels,
  scores: Scores,
  options: ThresholdOptions = {},
): ConfusionMatrix {
  const checked = assertInputs(labels, scores, 'confusionMatrix');
  return countConfusion(
    checked.labels,
    checked.scores,
    readThreshold(readOptions(options, 'confusionMatrix').threshold, 'confusionMatrix'),
  );
}

/** Counts without validation (inputs already checked). */
export function countConfusion(labels: Labels, scores: Scores, threshold: number): ConfusionMatrix {
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = scores[i]! >= threshold;
    if (labels[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  return {
    tn,
    fp,
    fn,
    tp,
    matrix: [
      [tn, fp],
      [fn, tp],
    ],
    labels: [0, 1],
  };
}
