import type { Labels, Scores } from '../types.js';

/** Cumulative counts at each distinct score, from the highest score down (scikit-learn's `_binary_clf_curve`). */
export interface RankingCurve {
  /** Distinct scores, descending. */
  thresholds: Float64Array;
  /** Positives with score ≥ threshold. */
  tps: Float64Array;
  /** Negatives with score ≥ threshold. */
  fps: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * Builds the ranking curve in O(n log n): the scores of each class are sorted natively
 * (`Float64Array.prototype.sort`), then merged from the top, one step per distinct score.
 */
export function rankingCurve(labels: Labels, scores: Scores, positives: number): RankingCurve {
  const n = labels.length;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(n - positives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (labels[i] === 1) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let k = 0;
  while (i >= 0 || j >= 0) {
    const top = i < 0 ? neg[j]! : j < 0 ? pos[i]! : Math.max(pos[i]!, neg[j]!);
    while (i >= 0 && pos[i] === top) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === top) {
      fp++;
      j--;
    }
    thresholds[k] = top;
    tps[k] = tp;
    fps[k] = fp;
    k++;
  }
  return {
    thresholds: thresholds.subarray(0, k),
    tps: tps.subarray(0, k),
    fps: fps.subarray(0, k),
    positives: pos.length,
    negatives: neg.length,
  };
}

/** Area under the ROC curve by the trapezoid rule, in exact integer sums until the last division. */
export function rocAreaOf(curve: RankingCurve): number {
  let twiceArea = 0;
  let previousTp = 0;
  let previousFp = 0;
  for (let k = 0; k < curve.tps.length; k++) {
    const tp = curve.tps[k]!;
    const fp = curve.fps[k]!;
    twiceArea += (fp - previousFp) * (tp + previousTp);
    previousTp = tp;
    previousFp = fp;
  }
  return twiceArea / (2 * curve.positives * curve.negatives);
}

/** Step-wise average precision: Σ (Rₖ − Rₖ₋₁) · Pₖ over thresholds from the top. */
export function averagePrecisionOf(curve: RankingCurve): number {
  let sum = 0;
  let previousRecall = 0;
  for (let k = 0; k < curve.tps.length; k++) {
    const tp = curve.tps[k]!;
    const recallK = tp / curve.positives;
    sum += (recallK - previousRecall) * (tp / (tp + curve.fps[k]!));
    previousRecall = recallK;
  }
  return sum;
}
