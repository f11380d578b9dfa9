import { XSadd } from 'ml-xsadd';
import { describe, expect, it } from 'vitest';
import { buildDesign } from './design.js';
import { accumulate, assemble, multiply, patternSums } from './design-kernels.js';
import { readFeatures } from './features.js';

/** Rows of `binary` 0/1 columns (`levels` patterns per column pair) and `continuous` columns. */
function table(rows: number, binary: number, continuous: number, seed: number): number[][] {
  const random = new XSadd(seed);
  return Array.from({ length: rows }, () => [
    ...Array.from({ length: binary }, () => (random.getFloat() < 0.4 ? 1 : 0)),
    ...Array.from({ length: continuous }, () => random.getFloat() * 4 - 2),
  ]);
}

/** Σ r x, Σ w x xᵀ written out, with the intercept as a last column of 1s. */
function naive(rows: number[][], probability: Float64Array, y: Uint8Array) {
  const d = rows[0]!.length + 1;
  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  rows.forEach((row, i) => {
    const x = [...row, 1];
    const p = probability[i]!;
    for (let a = 0; a < d; a++) {
      gradient[a]! += (p - y[i]!) * x[a]!;
      for (let b = 0; b <= a; b++) hessian[a * d + b]! += p * (1 - p) * x[a]! * x[b]!;
    }
  });
  return { gradient, hessian };
}

describe('the packed design of the Newton solver', () => {
  it.each([
    ['few patterns (grouped)', 400, 6, 3, true],
    ['a pattern per row (grouped still)', 60, 12, 2, true],
    ['more than 4,096 patterns (one pattern, all columns kept)', 5000, 20, 2, false],
    ['no 0/1 column', 50, 0, 4, false],
  ])('builds X·β, the gradient and XᵀWX exactly as written out: %s', (_, n, b, c, grouped) => {
    const rows = table(n as number, b as number, c as number, 5);
    const design = buildDesign(readFeatures(rows, 'test'), true);
    expect(design.patterns > 1).toBe(grouped);
    const random = new XSadd(9);
    const probability = Float64Array.from(rows, () => random.getFloat());
    const y = Uint8Array.from(rows, () => (random.getFloat() < 0.5 ? 1 : 0));
    const sums = patternSums(design);
    const gradient = new Float64Array(design.d);
    const hessian = new Float64Array(design.d * design.d);
    accumulate(design, probability, y, sums);
    assemble(design, sums, gradient, hessian);
    const expected = naive(rows, probability, y);
    gradient.forEach((value, j) => {
      expect(value).toBeCloseTo(expected.gradient[j]!, 10);
    });
    hessian.forEach((value, k) => {
      expect(value).toBeCloseTo(expected.hessian[k]!, 10);
    });
    const beta = Float64Array.from({ length: design.d }, (_, j) => j / 10 - 0.5);
    const z = new Float64Array(rows.length);
    multiply(design, beta, z, new Float64Array(design.patterns));
    rows.forEach((row, i) => {
      const direct = row.reduce((sum, value, j) => sum + value * beta[j]!, beta[design.p]!);
      expect(z[i]).toBeCloseTo(direct, 12);
    });
  });
});
