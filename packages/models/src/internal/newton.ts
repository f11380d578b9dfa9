import { solveSymmetric } from './cholesky.js';
import { buildDesign, type Design } from './design.js';
import {
  accumulate,
  accumulateGradient,
  assemble,
  lossAlong,
  multiply,
  patternSums,
} from './design-kernels.js';
import type { FeatureInput } from './features.js';

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

/** The state of one Newton iterate: coefficients, margins z = Xβ, σ(z) and the objective. */
interface Iterate {
  beta: Float64Array;
  z: Float64Array;
  probability: Float64Array;
  objective: number;
}

/**
 * Minimises Σ [log(1 + e^z) − y z] + ‖w‖² / (2C), z = X β (+ b), the intercept unpenalised, by
 * Newton's method with a Cholesky solve and a backtracking line search. The Hessian XᵀWX is built
 * from per-pattern sums (see {@link buildDesign}); an iteration is one pass for the gradient and
 * Hessian, one for X·step, and one exp and log1p per row for each step length tried. Once the
 * gradient is within `tol`, one more Newton step is taken (a *polish*): convergence is quadratic
 * there, so it brings the coefficients from ~1e-2 to a few 1e-6 (relative) of the optimum along the flat
 * directions that one-hot columns and an intercept create, for one cheap iteration.
 */
export function newton(input: FeatureInput, y: Uint8Array, options: NewtonOptions): NewtonResult {
  const design = buildDesign(input, options.fitIntercept);
  const { n, d } = design;
  const lambda = 1 / options.C;
  const sums = patternSums(design);
  const share = new Float64Array(design.patterns);
  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  const direction = new Float64Array(n);
  let current: Iterate = {
    beta: new Float64Array(d),
    z: new Float64Array(n),
    probability: new Float64Array(n),
    objective: 0,
  };
  current.objective = lossAlong(current.z, direction, 0, y, current.z, current.probability);
  let candidate: Iterate = {
    beta: new Float64Array(d),
    z: new Float64Array(n),
    probability: new Float64Array(n),
    objective: 0,
  };
  let polished = false;
  for (let iteration = 0; ; iteration++) {
    let gradientMax = Number.POSITIVE_INFINITY;
    if (polished) {
      accumulateGradient(design, current.probability, y, sums);
      assemble(design, sums, gradient, undefined);
      gradientMax = addPenalty(design, lambda, current.beta, gradient, undefined);
    }
    if (!(gradientMax <= options.tol)) {
      accumulate(design, current.probability, y, sums);
      assemble(design, sums, gradient, hessian);
      gradientMax = addPenalty(design, lambda, current.beta, gradient, hessian);
    }
    const stop = (converged: boolean, iterations: number): NewtonResult => ({
      beta: current.beta,
      iterations,
      converged,
      gradientMax,
      objective: current.objective,
    });
    const within = gradientMax <= options.tol;
    if (within && (polished || iteration >= options.maxIter)) return stop(true, iteration);
    if (iteration >= options.maxIter) return stop(false, iteration);
    polished = within;
    const step = solveSymmetric(hessian, gradient, d);
    multiply(design, step, direction, share);
    lineSearch({ design, y, lambda, step, gradient, direction }, current, candidate);
    if (candidate.objective > current.objective) {
      // No decrease possible even at tiny steps: at rounding level, converged only if within tol.
      return stop(within, iteration + 1);
    }
    [current, candidate] = [candidate, current];
  }
}

/** Adds the L2 penalty to the loss's gradient and Hessian; returns max |gradient| / n. */
function addPenalty(
  design: Design,
  lambda: number,
  beta: Float64Array,
  gradient: Float64Array,
  hessian: Float64Array | undefined,
): number {
  const { n, p, d } = design;
  for (let j = 0; j < p; j++) {
    gradient[j]! += lambda * beta[j]!;
    if (hessian) hessian[j * d + j]! += lambda;
  }
  let gradientMax = 0;
  for (let j = 0; j < d; j++) gradientMax = Math.max(gradientMax, Math.abs(gradient[j]!) / n);
  return gradientMax;
}

/** What a line search needs: the problem, the Newton step and X·step. */
interface Search {
  design: Design;
  y: Uint8Array;
  lambda: number;
  step: Float64Array;
  gradient: Float64Array;
  direction: Float64Array;
}

/**
 * Backtracking (Armijo) line search from `from` along −step: leaves the accepted point, its
 * margins (z − t·X·step, no pass over X), probabilities and objective in `into`.
 */
function lineSearch(search: Search, from: Iterate, into: Iterate): void {
  const { design, y, lambda, step, gradient, direction } = search;
  const { p, d } = design;
  let slope = 0;
  for (let j = 0; j < d; j++) slope += gradient[j]! * step[j]!;
  let t = 1;
  for (let halving = 0; halving < 50; halving++) {
    let penalty = 0;
    for (let j = 0; j < d; j++) {
      into.beta[j] = from.beta[j]! - t * step[j]!;
      if (j < p) penalty += into.beta[j]! ** 2;
    }
    const loss = lossAlong(from.z, direction, t, y, into.z, into.probability);
    into.objective = loss + (lambda * penalty) / 2;
    if (into.objective <= from.objective - 1e-4 * t * slope) return;
    t /= 2;
  }
}
