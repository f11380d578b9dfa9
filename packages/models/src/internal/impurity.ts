/** The impurity of a node from its class-0 and class-1 weights. */
export type Impurity = (w0: number, w1: number) => number;

/** Gini impurity, 1 − Σ p². */
export function gini(w0: number, w1: number): number {
  const total = w0 + w1;
  return 1 - (w0 * w0 + w1 * w1) / (total * total);
}

/** Shannon entropy in bits, −Σ p log₂ p. */
export function entropy(w0: number, w1: number): number {
  const total = w0 + w1;
  let h = 0;
  if (w0 > 0) h -= (w0 / total) * Math.log2(w0 / total);
  if (w1 > 0) h -= (w1 / total) * Math.log2(w1 / total);
  return h;
}
