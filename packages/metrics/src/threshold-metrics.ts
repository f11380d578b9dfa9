import { type ConfusionMatrix, countConfusion, type ThresholdOptions } from './confusion-matrix.js';
import { f1Of, precisionOf, recallOf } from './internal/rates.js';
import { assertInputs, readOptions, readThreshold } from './internal/validate.js';
import type { Labels, Scores } from './types.js';

function confusion(
  labels: Labels,
  scores: Scores,
  options: ThresholdOptions,
  what: string,
): ConfusionMatrix {
  const checked = assertInputs(labels, scores, what);
  return countConfusion(
    checked.labels,
    checked.scores,
    readThreshold(readOptions(options, what).threshold, what),
  );
}

/**
 * Share of rows whose thresholded score equals the label.
 *
 * @example
 * ```ts
 * accuracy([0, 1, 1], [0.2, 0.7, 0.4]); // 0.666…
 * ```
 */
export function accuracy(labels: Labels, scores: Scores, options: ThresholdOptions = {}): number {
  const { tn, tp } = confusion(labels, scores, options, 'accuracy');
  return (tn + tp) / labels.length;
}

/**
 * `tp / (tp + fp)`; 0 when nothing is predicted positive (scikit-learn's `zero_division=0`).
 *
 * @example
 * ```ts
 * precision([0, 1, 1], [0.6, 0.7, 0.4]); // 0.5
 * ```
 */
export function precision(labels: Labels, scores: Scores, options: ThresholdOptions = {}): number {
  return precisionOf(confusion(labels, scores, options, 'precision'));
}

/**
 * `tp / (tp + fn)`; 0 when there is no positive label.
 *
 * @example
 * ```ts
 * recall([0, 1, 1], [0.6, 0.7, 0.4]); // 0.5
 * ```
 */
export function recall(labels: Labels, scores: Scores, options: ThresholdOptions = {}): number {
  return recallOf(confusion(labels, scores, options, 'recall'));
}

/**
 * Harmonic mean of precision and recall, computed as scikit-learn does (`2·p·r / (p + r)`, 0 when
 * both are 0).
 *
 * @example
 * ```ts
 * f1([0, 1, 1], [0.6, 0.7, 0.4]); // 0.5
 * ```
 */
export function f1(labels: Labels, scores: Scores, options: ThresholdOptions = {}): number {
  return f1Of(confusion(labels, scores, options, 'f1'));
}
