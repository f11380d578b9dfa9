import { Matrix, solve } from 'ml-matrix';

/**
 * Solves H s = g in the least-squares sense for a symmetric H given by its lower triangle
 * (row-major d × d), with ml-matrix: the Newton solver's way out when H is not numerically
 * positive definite and its Cholesky factorisation fails.
 */
export function solveLeastSquares(lower: Float64Array, g: Float64Array, d: number): Float64Array {
  const h = new Matrix(d, d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k <= j; k++) {
      h.set(j, k, lower[j * d + k]!);
      h.set(k, j, lower[j * d + k]!);
    }
  }
  const solution = solve(h, Matrix.columnVector(Array.from(g)), true);
  return Float64Array.from(solution.getColumn(0));
}
