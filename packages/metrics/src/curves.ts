import { rankingCurve } from './internal/ranking.js';
import { assertBothClasses, assertInputs, readFlag, readOptions } from './internal/validate.js';
import type { Labels, Scores } from './types.js';

/** Points of a ROC curve. */
export interface RocCurve {
  /** False positive rate per threshold, from 0 up to 1. */
  fpr: number[];
  /** True positive rate per threshold. */
  tpr: number[];
  /** Decreasing thresholds; the first is the highest score + 1 (scikit-learn 1.2's convention). */
  thresholds: number[];
}

/** Options for {@link rocCurve}. */
export interface RocCurveOptions {
  /** Drop thresholds that lie on a straight segment (scikit-learn's default). Default `true`. */
  dropIntermediate?: boolean;
}

/**
 * The ROC curve as scikit-learn's `roc_curve`: one point per distinct score (collinear points
 * dropped by default), starting at (0, 0).
 *
 * @example
 * ```ts
 * const { fpr, tpr } = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * ```
 */
export function rocCurve(labels: Labels, scores: Scores, options: RocCurveOptions = {}): RocCurve {
  const checked = assertInputs(labels, scores, 'rocCurve');
  assertBothClasses(checked.positives, labels.length, 'The ROC curve');
  const curve = rankingCurve(checked.labels, checked.scores, checked.positives);
  const { tps, fps, thresholds } = curve;
  let keep = Array.from({ length: tps.length }, (_, k) => k);
  const dropIntermediate = readFlag(
    readOptions(options, 'rocCurve').dropIntermediate,
    'dropIntermediate',
    true,
    'rocCurve',
  );
  if (dropIntermediate && tps.length > 2) {
    keep = keep.filter(
      (k) =>
        k === 0 ||
        k === tps.length - 1 ||
        fps[k - 1]! - 2 * fps[k]! + fps[k + 1]! !== 0 ||
        tps[k - 1]! - 2 * tps[k]! + tps[k + 1]! !== 0,
    );
  }
  return {
    fpr: [0, ...keep.map((k) => fps[k]! / curve.negatives)],
    tpr: [0, ...keep.map((k) => tps[k]! / curve.positives)],
    thresholds: [thresholds[0]! + 1, ...keep.map((k) => thresholds[k]!)],
  };
}

/** Points of a precision–recall curve. */
export interface PrecisionRecallCurve {
  /** Precision per threshold, ending with 1. */
  precision: number[];
  /** Recall per threshold, decreasing, ending with 0. */
  recall: number[];
  /** Increasing thresholds (one fewer than the points). */
  thresholds: number[];
}

/**
 * The precision–recall curve as scikit-learn 1.2's `precision_recall_curve`: thresholds
 * ascending, the last point (precision 1, recall 0) without threshold. Needs positive labels.
 *
 * @example
 * ```ts
 * const { precision, recall } = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * ```
 */
export function precisionRecallCurve(labels: Labels, scores: Scores): PrecisionRecallCurve {
  const checked = assertInputs(labels, scores, 'precisionRecallCurve');
  if (checked.positives === 0) assertBothClasses(0, labels.length, 'The precision–recall curve');
  const curve = rankingCurve(checked.labels, checked.scores, checked.positives);
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  for (let k = curve.tps.length - 1; k >= 0; k--) {
    const tp = curve.tps[k]!;
    precision.push(tp / (tp + curve.fps[k]!));
    recall.push(tp / curve.positives);
    thresholds.push(curve.thresholds[k]!);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds };
}
