import type { Design } from './design.js';

/**
 * Per-pattern sums of one pass over the rows: with residual r = p − y and weight w = p (1 − p),
 * Σr and Σw (`r0`, `w0`, per pattern), Σ r·x and Σ w·x over the kept columns (`r1`, `w1`,
 * pattern-major × q), and Σ w·xₐ·x_b for b ≤ a (`w2`, pattern-major × q(q+1)/2).
 */
export interface PatternSums {
  readonly r0: Float64Array;
  readonly w0: Float64Array;
  readonly r1: Float64Array;
  readonly w1: Float64Array;
  readonly w2: Float64Array;
}

/** Buffers for {@link accumulate} sized for `design`. */
export function patternSums(design: Design): PatternSums {
  const { patterns: m, q } = design;
  return {
    r0: new Float64Array(m),
    w0: new Float64Array(m),
    r1: new Float64Array(m * q),
    w1: new Float64Array(m * q),
    w2: new Float64Array((m * q * (q + 1)) / 2),
  };
}

/** z = X β: one pass over the kept columns, the pattern's share computed once per pattern. */
export function multiply(
  design: Design,
  beta: Float64Array,
  z: Float64Array,
  share: Float64Array,
): void {
  const { n, q, other, values, pattern, patterns, activeStart, active } = design;
  for (let g = 0; g < patterns; g++) {
    let sum = 0;
    for (let e = activeStart[g]!; e < activeStart[g + 1]!; e++) sum += beta[active[e]!]!;
    share[g] = sum;
  }
  const kept = new Float64Array(q);
  for (let a = 0; a < q; a++) kept[a] = beta[other[a]!]!;
  for (let i = 0; i < n; i++) {
    let zi = share[pattern[i]!]!;
    const offset = i * q;
    for (let a = 0; a < q; a++) zi += kept[a]! * values[offset + a]!;
    z[i] = zi;
  }
}

/** Fills `sums.r0` and `sums.r1` (the gradient's share) from probabilities and labels. */
export function accumulateGradient(
  design: Design,
  probability: Float64Array,
  y: Uint8Array,
  sums: PatternSums,
): void {
  const { n, q, values, pattern } = design;
  const { r0, r1 } = sums;
  r0.fill(0);
  r1.fill(0);
  for (let i = 0; i < n; i++) {
    const g = pattern[i]!;
    const residual = probability[i]! - y[i]!;
    r0[g]! += residual;
    const offset = i * q;
    const g1 = g * q;
    for (let a = 0; a < q; a++) r1[g1 + a]! += residual * values[offset + a]!;
  }
}

/** Fills `sums` from the rows' probabilities `probability` and labels `y`. */
export function accumulate(
  design: Design,
  probability: Float64Array,
  y: Uint8Array,
  sums: PatternSums,
): void {
  const { n, q, values, pattern } = design;
  const { r0, w0, r1, w1, w2 } = sums;
  const q2 = (q * (q + 1)) / 2;
  r0.fill(0);
  w0.fill(0);
  r1.fill(0);
  w1.fill(0);
  w2.fill(0);
  for (let i = 0; i < n; i++) {
    const g = pattern[i]!;
    const pi = probability[i]!;
    const residual = pi - y[i]!;
    const weight = pi * (1 - pi);
    r0[g]! += residual;
    w0[g]! += weight;
    const offset = i * q;
    const g1 = g * q;
    let c = g * q2;
    for (let a = 0; a < q; a++) {
      const xa = values[offset + a]!;
      r1[g1 + a]! += residual * xa;
      const wa = weight * xa;
      w1[g1 + a]! += wa;
      for (let b = 0; b <= a; b++) w2[c++]! += wa * values[offset + b]!;
    }
  }
}

/**
 * Spreads the pattern sums over the gradient of the loss (length d) and, unless `hessian` is
 * `undefined`, the lower triangle of its Hessian (row-major d × d); the caller adds the penalty.
 */
export function assemble(
  design: Design,
  sums: PatternSums,
  gradient: Float64Array,
  hessian: Float64Array | undefined,
): void {
  const { d, q, other, patterns, activeStart, active } = design;
  const { r0, w0, r1, w1, w2 } = sums;
  const q2 = (q * (q + 1)) / 2;
  gradient.fill(0);
  for (let g = 0; g < patterns; g++) {
    for (let e = activeStart[g]!; e < activeStart[g + 1]!; e++) gradient[active[e]!]! += r0[g]!;
    for (let a = 0; a < q; a++) gradient[other[a]!]! += r1[g * q + a]!;
  }
  if (!hessian) return;
  hessian.fill(0);
  for (let g = 0; g < patterns; g++) {
    const start = activeStart[g]!;
    const end = activeStart[g + 1]!;
    const weight = w0[g]!;
    for (let e = start; e < end; e++) {
      const row = active[e]! * d;
      for (let f = start; f <= e; f++) hessian[row + active[f]!]! += weight;
    }
    let c = g * q2;
    for (let a = 0; a < q; a++) {
      const ja = other[a]!;
      const wa = w1[g * q + a]!;
      for (let e = start; e < end; e++) {
        const jb = active[e]!;
        if (ja > jb) hessian[ja * d + jb]! += wa;
        else hessian[jb * d + ja]! += wa;
      }
      for (let b = 0; b <= a; b++) hessian[ja * d + other[b]!]! += w2[c++]!;
    }
  }
}

/**
 * The loss Σ log(1 + e^z) − y z at z = `z` − t·`u` (written to `zOut`), with the probabilities
 * σ(z) written to `probability`: one exp and one log1p per row.
 */
export function lossAlong(
  z: Float64Array,
  u: Float64Array,
  t: number,
  y: Uint8Array,
  zOut: Float64Array,
  probability: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < z.length; i++) {
    const zi = z[i]! - t * u[i]!;
    zOut[i] = zi;
    const e = Math.exp(zi > 0 ? -zi : zi);
    const inverse = 1 / (1 + e);
    probability[i] = zi >= 0 ? inverse : e * inverse;
    total += Math.max(zi, 0) + Math.log1p(e) - y[i]! * zi;
  }
  return total;
}
