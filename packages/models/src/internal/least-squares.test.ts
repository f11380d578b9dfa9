import { describe, expect, it } from 'vitest';
import { LogisticRegression } from '../logistic-regression.js';
import { solveLeastSquares } from './least-squares.js';

/** The lower triangle of a symmetric d × d matrix given in full. */
const lowerOf = (full: number[], d: number) =>
  Float64Array.from(full, (value, i) => (i % d <= Math.floor(i / d) ? value : 0));

const times = (full: number[], s: Float64Array, d: number) =>
  Array.from({ length: d }, (_, j) =>
    s.reduce((sum, value, k) => sum + full[j * d + k]! * value, 0),
  );

describe('solveLeastSquares', () => {
  it('solves a positive definite system exactly', () => {
    const full = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2];
    const g = Float64Array.from([1, -2, 0.5]);
    const s = solveLeastSquares(lowerOf(full, 3), g, 3);
    for (const [j, value] of times(full, s, 3).entries()) expect(value).toBeCloseTo(g[j]!, 12);
  });

  it('gives the minimum-norm solution of a singular system (a column given twice)', () => {
    // H = [[a, a, b], [a, a, b], [b, b, c]]: the null space is (1, −1, 0).
    const full = [2, 2, 1, 2, 2, 1, 1, 1, 3];
    const g = Float64Array.from([3, 3, 2]);
    const s = solveLeastSquares(lowerOf(full, 3), g, 3);
    for (const [j, value] of times(full, s, 3).entries()) expect(value).toBeCloseTo(g[j]!, 12);
    expect(s[0]).toBeCloseTo(s[1]!, 12);
  });

  it('ends on Hessians that hung the SVD it replaced (entries near the underflow limit)', () => {
    // Saved from a fit with C = 1e300 (a review's randomised comparison): ml-matrix never returned.
    const hung = [
      [1.25, 0, 0, 0, 0, 0, 0],
      [0, 1e-300, 0, 0, 0, 0, 0],
      [1.25, 0, 2.5, 0, 0, 0, 0],
      [0, 0, 0, 1e-300, 0, 0, 0],
      [0, 0, 0, 0, 1e-300, 0, 0],
      [-1712650.15960671, 0, 4240352.025954053, 0, 0, 761303110120904.8, 0],
      [1.25, 0, 2.5, 0, 0, 4240352.025954053, 2.5],
    ].flat();
    const g = Float64Array.from([-1.5, 0, -1, 0, 0, -5984967.120457441, -1]);
    const s = solveLeastSquares(Float64Array.from(hung), g, 7);
    expect(s.every(Number.isFinite)).toBe(true);
    const denormal = Float64Array.from([3e-315, 0, 1e-316, 2e-315, 0, 5e-320, 0, 4e-316, 1e-315]);
    expect(
      solveLeastSquares(denormal, Float64Array.from([1e-300, 0, 1e-310]), 3).every(Number.isFinite),
    ).toBe(true);
  });

  it('lets LogisticRegression finish the fit that hung (C = 1e300, zero and constant columns)', () => {
    const last = [-19714465.690776706, -9755156.747996807, 14545979.956164956, 34737061.988562346];
    last.push(-3974915.319122374, 3479762.631468475, -5774848.908185959, 24996433.267369866);
    last.push(-21378044.24855858, -200398.82510900497);
    const first = [1, 0, 0, 1, 1, 1, 0, 0, 1, 0];
    const rows = last.map((value, i) => [first[i]!, 0, 1, 0, 0, value]);
    const model = new LogisticRegression({ C: 1e300, onNotConverged: 'warn' });
    model.fit(rows, [1, 0, 0, 1, 1, 0, 0, 1, 1, 1]);
    expect(model.coefficients.every(Number.isFinite)).toBe(true);
  });
});
