import { Matrix, solve } from 'ml-matrix';

/**
 * Solves H s = g for a symmetric H given by its lower triangle (row-major d × d): a Cholesky
 * factorisation on typed arrays, or, when H is not numerically positive definite, ml-matrix's
 * least-squares solve.
 */
export function solveSymmetric(lower: Float64Array, g: Float64Array, d: number): Float64Array {
  const factor = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k <= j; k++) {
      let sum = lower[j * d + k]!;
      for (let m = 0; m < k; m++) sum -= factor[j * d + m]! * factor[k * d + m]!;
      if (j === k) {
        if (!(sum > 0)) return fallback(lower, g, d);
        factor[j * d + j] = Math.sqrt(sum);
      } else factor[j * d + k] = sum / factor[k * d + k]!;
    }
  }
  const s = Float64Array.from(g);
  for (let j = 0; j < d; j++) {
    let sum = s[j]!;
    for (let m = 0; m < j; m++) sum -= factor[j * d + m]! * s[m]!;
    s[j] = sum / factor[j * d + j]!;
  }
  for (let j = d - 1; j >= 0; j--) {
    let sum = s[j]!;
    for (let m = j + 1; m < d; m++) sum -= factor[m * d + j]! * s[m]!;
    s[j] = sum / factor[j * d + j]!;
  }
  return s;
}

function fallback(lower: Float64Array, g: Float64Array, d: number): Float64Array {
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
