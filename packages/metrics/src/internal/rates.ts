import type { ConfusionMatrix } from '../confusion-matrix.js';

/** `a / b`, or 0 when `b` is 0 (scikit-learn's `zero_division=0`). */
function divide(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export function precisionOf({ tp, fp }: ConfusionMatrix): number {
  return divide(tp, tp + fp);
}

export function recallOf({ tp, fn }: ConfusionMatrix): number {
  return divide(tp, tp + fn);
}

/** scikit-learn's F1: `2·p·r / (p + r)`, 0 when both are 0. */
export function f1Of(counts: ConfusionMatrix): number {
  const p = precisionOf(counts);
  const r = recallOf(counts);
  return divide(2 * p * r, p + r);
}
