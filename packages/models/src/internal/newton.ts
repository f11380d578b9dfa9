import { CholeskyDecomposition, Matrix, solve } from 'ml-matrix';
import type { FeatureMatrix } from '../classifier.js';
import { sigmoid, softplus } from './logistic.js';
import { type SparseRows, toSparseRows } from './sparse-rows.js';

/** The settings of {@link newton}: those of `LogisticRegression`. */
export interface NewtonOptions {
  C: number;
  maxIter: number;
  tol: number;
  fitIntercept: boolean;
}

/** Where {@link newton} stopped. */
export interface NewtonResult {
  /** Coefficients, then the intercept when fitted. */
  beta: Float64Array;
  iterations: number;
  converged: boolean;
  gradientMax: number;
  objective: number;
}

/** The problem being solved: rows, labels, sizes and the L2 weight 1 / C. */
interface Problem {
  rows: SparseRows;
  y: Uint8Array;
  /** Rows. */
  n: number;
  /** Penalised coefficients (features). */
  p: number;
  /** Unknowns: p, plus 1 with an intercept. */
  d: number;
  lambda: number;
}

/**
 * Minimises Σ [log(1 + e^z) − y z] + ‖w‖² / (2C), z = X β (+ b), the intercept unpenalised, by
 * Newton's method with a Cholesky solve and a backtracking line search. The rows are read once
 * into compressed sparse rows (one-hot columns are mostly 0), so an iteration costs
 * O(Σ nnz(row)²) instead of O(n d²).
 */
export function newton(
  features: FeatureMatrix,
  y: Uint8Array,
  p: number,
  options: NewtonOptions,
): NewtonResult {
  const n = features.length;
  const d = p + (options.fitIntercept ? 1 : 0);
  const problem: Problem = {
    rows: toSparseRows(features, p, options.fitIntercept),
    y,
    n,
    p,
    d,
    lambda: 1 / options.C,
  };
  let beta = new Float64Array(d);
  let candidate = new Float64Array(d);
  let margins = new Float64Array(n);
  let candidateMargins = new Float64Array(n);
  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  let objective = evaluate(problem, beta, margins);
  for (let iteration = 0; ; iteration++) {
    const gradientMax = fillGradient(problem, beta, margins, gradient);
    if (gradientMax <= options.tol) {
      return { beta, iterations: iteration, converged: true, gradientMax, objective };
    }
    if (iteration >= options.maxIter) {
      return { beta, iterations: iteration, converged: false, gradientMax, objective };
    }
    fillHessian(problem, margins, hessian);
    const step = solveSymmetric(hessian, gradient, d);
    const candidateObjective = lineSearch(problem, beta, step, gradient, objective, {
      candidate,
      candidateMargins,
    });
    if (candidateObjective > objective) {
      // No decrease possible even at tiny steps: stuck at rounding level above tol.
      return { beta, iterations: iteration + 1, converged: false, gradientMax, objective };
    }
    [beta, candidate] = [candidate, beta];
    [margins, candidateMargins] = [candidateMargins, margins];
    objective = candidateObjective;
  }
}

/** Fills `z` with the margins under `coefficients` and returns the penalised objective. */
function evaluate(problem: Problem, coefficients: Float64Array, z: Float64Array): number {
  const { rowStart, column, value } = problem.rows;
  const { y, n, p, lambda } = problem;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let zi = 0;
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++)
      zi += value[e]! * coefficients[column[e]!]!;
    z[i] = zi;
    total += softplus(zi) - y[i]! * zi;
  }
  for (let j = 0; j < p; j++) total += (lambda * coefficients[j]! ** 2) / 2;
  return total;
}

/** Fills `gradient` at `beta` (margins `z`); returns its largest component over n. */
function fillGradient(
  problem: Problem,
  beta: Float64Array,
  z: Float64Array,
  gradient: Float64Array,
): number {
  const { rowStart, column, value } = problem.rows;
  const { y, n, p, d, lambda } = problem;
  gradient.fill(0);
  for (let i = 0; i < n; i++) {
    const residual = sigmoid(z[i]!) - y[i]!;
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++)
      gradient[column[e]!]! += residual * value[e]!;
  }
  for (let j = 0; j < p; j++) gradient[j]! += lambda * beta[j]!;
  let gradientMax = 0;
  for (let j = 0; j < d; j++) gradientMax = Math.max(gradientMax, Math.abs(gradient[j]!) / n);
  return gradientMax;
}

/** Fills the lower triangle of the Hessian (row-major, d × d) at margins `z`. */
function fillHessian(problem: Problem, z: Float64Array, hessian: Float64Array): void {
  const { rowStart, column, value } = problem.rows;
  const { n, p, d, lambda } = problem;
  hessian.fill(0);
  for (let i = 0; i < n; i++) {
    const probability = sigmoid(z[i]!);
    const weight = probability * (1 - probability);
    const start = rowStart[i]!;
    const end = rowStart[i + 1]!;
    for (let e = start; e < end; e++) {
      const row = column[e]! * d;
      const wx = weight * value[e]!;
      // Columns ascend within a row, so column[f] ≤ column[e] for f ≤ e: the lower triangle.
      for (let f = start; f <= e; f++) hessian[row + column[f]!]! += wx * value[f]!;
    }
  }
  for (let j = 0; j < p; j++) hessian[j * d + j]! += lambda;
}

/**
 * Backtracking (Armijo) line search from `beta` along −`step`: leaves the accepted point in
 * `into.candidate` (its margins in `into.candidateMargins`) and returns its objective.
 */
function lineSearch(
  problem: Problem,
  beta: Float64Array,
  step: Float64Array,
  gradient: Float64Array,
  objective: number,
  into: { candidate: Float64Array; candidateMargins: Float64Array },
): number {
  const d = problem.d;
  const { candidate, candidateMargins } = into;
  let slope = 0;
  for (let j = 0; j < d; j++) slope += gradient[j]! * step[j]!;
  let t = 1;
  let candidateObjective = objective;
  for (let halving = 0; halving < 50; halving++) {
    for (let j = 0; j < d; j++) candidate[j] = beta[j]! - t * step[j]!;
    candidateObjective = evaluate(problem, candidate, candidateMargins);
    if (candidateObjective <= objective - 1e-4 * t * slope) break;
    t /= 2;
  }
  return candidateObjective;
}

/** Solves H s = g for a symmetric positive definite H (lower triangle filled), via ml-matrix. */
function solveSymmetric(lower: Float64Array, g: Float64Array, d: number): Float64Array {
  const h = new Matrix(d, d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k <= j; k++) {
      h.set(j, k, lower[j * d + k]!);
      h.set(k, j, lower[j * d + k]!);
    }
  }
  const rhs = Matrix.columnVector(Array.from(g));
  const cholesky = new CholeskyDecomposition(h);
  const solution = cholesky.isPositiveDefinite() ? cholesky.solve(rhs) : solve(h, rhs, true);
  return Float64Array.from(solution.getColumn(0));
}
