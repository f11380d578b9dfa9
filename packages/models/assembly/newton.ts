// Newton's method on the packed design (design.ts): per-pattern sums, the gradient and Hessian,
// a Cholesky solve, X·step and a backtracking line search.

import { active, activeStart, d, n, other, p, pattern, patterns, q, values, y } from './design';
import { af, alloc, lf, li, sf, status } from './memory';

function label(i: i32): f64 {
  return <f64>load<u8>(y + <usize>i);
}

// Newton's buffers: per-pattern sums, gradient, Hessian (lower triangle), its factor, the step,
// X·step, and two iterates (coefficients, margins z, probabilities).
let r0: usize = 0;
let w0: usize = 0;
let r1: usize = 0;
let w1: usize = 0;
let w2: usize = 0;
let share: usize = 0;
let kept: usize = 0;
export let gradient: usize = 0;
export let hessian: usize = 0;
let factor: usize = 0;
export let step: usize = 0;
export let direction: usize = 0;
/** The coefficients, then the intercept (swapped with nextBeta each iteration). */
export let beta: usize = 0;
let z: usize = 0;
export let probability: usize = 0;
let nextBeta: usize = 0;
let nextZ: usize = 0;
let nextProbability: usize = 0;

/** Where newton stopped. */
export let iterations: i32 = 0;
export let converged: i32 = 0;
export let gradientMax: f64 = 0;
export let objective: f64 = 0;

/** Newton's buffers, once the design is packed. */
export function allocateNewton(): i32 {
  const m = <u64>patterns;
  const qq = <u64>q;
  const rows = <u64>n * 8;
  r0 = alloc(m * 8);
  w0 = alloc(m * 8);
  r1 = alloc(m * qq * 8);
  w1 = alloc(m * qq * 8);
  w2 = alloc(((m * qq * (qq + 1)) / 2) * 8);
  share = alloc(m * 8);
  kept = alloc(qq * 8);
  gradient = alloc(<u64>d * 8);
  hessian = alloc(<u64>d * <u64>d * 8);
  factor = alloc(<u64>d * <u64>d * 8);
  step = alloc(<u64>d * 8);
  direction = alloc(rows);
  beta = alloc(<u64>d * 8);
  z = alloc(rows);
  probability = alloc(rows);
  nextBeta = alloc(<u64>d * 8);
  nextZ = alloc(rows);
  nextProbability = alloc(rows);
  return status();
}

/**
 * Per-pattern sums of one pass over the rows: with residual r = p − y and weight w = p (1 − p),
 * Σr and Σw (`r0`, `w0`, per pattern), Σ r·x and Σ w·x over the kept columns (`r1`, `w1`,
 * pattern-major × q), and Σ w·xₐ·x_b for b ≤ a (`w2`, pattern-major × q(q+1)/2); only the
 * residual's sums unless `withHessian`.
 */
export function accumulate(withHessian: bool): void {
  const q2 = (q * (q + 1)) / 2;
  memory.fill(r0, 0, (<usize>patterns) << 3);
  memory.fill(r1, 0, (<usize>patterns * <usize>q) << 3);
  if (withHessian) {
    memory.fill(w0, 0, (<usize>patterns) << 3);
    memory.fill(w1, 0, (<usize>patterns * <usize>q) << 3);
    memory.fill(w2, 0, (<usize>patterns * <usize>q2) << 3);
  }
  for (let i = 0; i < n; i++) {
    const g = li(pattern, i);
    const pi = lf(probability, i);
    const residual = pi - label(i);
    af(r0, g, residual);
    const offset = i * q;
    const g1 = g * q;
    if (!withHessian) {
      for (let a = 0; a < q; a++) af(r1, g1 + a, residual * lf(values, offset + a));
      continue;
    }
    const weight = pi * (1 - pi);
    af(w0, g, weight);
    let c = g * q2;
    for (let a = 0; a < q; a++) {
      const xa = lf(values, offset + a);
      af(r1, g1 + a, residual * xa);
      const wa = weight * xa;
      af(w1, g1 + a, wa);
      for (let b = 0; b <= a; b++) af(w2, c++, wa * lf(values, offset + b));
    }
  }
}

/**
 * Spreads the pattern sums over the loss's gradient and, if `withHessian`, the lower triangle of
 * its Hessian (row-major d × d).
 */
export function assemble(withHessian: bool): void {
  const q2 = (q * (q + 1)) / 2;
  memory.fill(gradient, 0, (<usize>d) << 3);
  for (let g = 0; g < patterns; g++) {
    const end = li(activeStart, g + 1);
    for (let e = li(activeStart, g); e < end; e++) af(gradient, li(active, e), lf(r0, g));
    for (let a = 0; a < q; a++) af(gradient, li(other, a), lf(r1, g * q + a));
  }
  if (!withHessian) return;
  memory.fill(hessian, 0, (<usize>d * <usize>d) << 3);
  for (let g = 0; g < patterns; g++) {
    const start = li(activeStart, g);
    const end = li(activeStart, g + 1);
    const weight = lf(w0, g);
    for (let e = start; e < end; e++) {
      const row = li(active, e) * d;
      for (let f = start; f <= e; f++) af(hessian, row + li(active, f), weight);
    }
    let c = g * q2;
    for (let a = 0; a < q; a++) {
      const ja = li(other, a);
      const wa = lf(w1, g * q + a);
      for (let e = start; e < end; e++) {
        const jb = li(active, e);
        if (ja > jb) af(hessian, ja * d + jb, wa);
        else af(hessian, jb * d + ja, wa);
      }
      for (let b = 0; b <= a; b++) af(hessian, ja * d + li(other, b), lf(w2, c++));
    }
  }
}

/** Adds the L2 penalty to the gradient and Hessian; returns max |gradient| / n. */
function addPenalty(lambda: f64, withHessian: bool): f64 {
  for (let j = 0; j < p; j++) {
    af(gradient, j, lambda * lf(beta, j));
    if (withHessian) af(hessian, j * d + j, lambda);
  }
  let largest: f64 = 0;
  for (let j = 0; j < d; j++) largest = Math.max(largest, Math.abs(lf(gradient, j)) / <f64>n);
  return largest;
}

/**
 * Solves Hessian · step = gradient by Cholesky; false when the Hessian is not numerically positive
 * definite (the caller then solves it by least squares: see {@link newton}).
 */
function solve(): bool {
  for (let j = 0; j < d; j++) {
    for (let k = 0; k <= j; k++) {
      let sum = lf(hessian, j * d + k);
      for (let m = 0; m < k; m++) sum -= lf(factor, j * d + m) * lf(factor, k * d + m);
      if (j === k) {
        if (!(sum > 0)) return false;
        sf(factor, j * d + j, Math.sqrt(sum));
      } else sf(factor, j * d + k, sum / lf(factor, k * d + k));
    }
  }
  for (let j = 0; j < d; j++) {
    let sum = lf(gradient, j);
    for (let m = 0; m < j; m++) sum -= lf(factor, j * d + m) * lf(step, m);
    sf(step, j, sum / lf(factor, j * d + j));
  }
  for (let j = d - 1; j >= 0; j--) {
    let sum = lf(step, j);
    for (let m = j + 1; m < d; m++) sum -= lf(factor, m * d + j) * lf(step, m);
    sf(step, j, sum / lf(factor, j * d + j));
  }
  return true;
}

/** direction = X · step: a pattern's share once per pattern, then the kept columns per row. */
export function multiply(): void {
  for (let g = 0; g < patterns; g++) {
    let sum: f64 = 0;
    const end = li(activeStart, g + 1);
    for (let e = li(activeStart, g); e < end; e++) sum += lf(step, li(active, e));
    sf(share, g, sum);
  }
  for (let a = 0; a < q; a++) sf(kept, a, lf(step, li(other, a)));
  for (let i = 0; i < n; i++) {
    let zi = lf(share, li(pattern, i));
    const offset = i * q;
    for (let a = 0; a < q; a++) zi += lf(kept, a) * lf(values, offset + a);
    sf(direction, i, zi);
  }
}

/**
 * The loss Σ log(1 + e^z) − y z at z = `from` − t·direction (written to `into`), with σ(z) written
 * to `sigma`: one exp and one log1p per row.
 */
function lossAlong(from: usize, t: f64, into: usize, sigma: usize): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const zi = lf(from, i) - t * lf(direction, i);
    sf(into, i, zi);
    const e = Math.exp(zi > 0 ? -zi : zi);
    const inverse = 1 / (1 + e);
    sf(sigma, i, zi >= 0 ? inverse : e * inverse);
    total += Math.max(zi, 0) + Math.log1p(e) - label(i) * zi;
  }
  return total;
}

/**
 * Backtracking (Armijo) line search from the current iterate along −step; leaves the accepted
 * point in the next iterate and returns its objective.
 */
function lineSearch(lambda: f64): f64 {
  let slope: f64 = 0;
  for (let j = 0; j < d; j++) slope += lf(gradient, j) * lf(step, j);
  let t: f64 = 1;
  let value: f64 = 0;
  for (let halving = 0; halving < 50; halving++) {
    let penalty: f64 = 0;
    for (let j = 0; j < d; j++) {
      const b = lf(beta, j) - t * lf(step, j);
      sf(nextBeta, j, b);
      if (j < p) penalty += b * b;
    }
    value = lossAlong(z, t, nextZ, nextProbability) + (lambda * penalty) / 2;
    if (value <= objective - 1e-4 * t * slope) return value;
    t /= 2;
  }
  return value;
}

/** What {@link newton} and {@link resume} answer: DONE, or NEEDS_STEP (see newton). */
export const DONE = 0;
export const NEEDS_STEP = 1;

// Newton's state between newton() and resume().
let strength: f64 = 0; // 1 / C
let limit: i32 = 0;
let tolerance: f64 = 0;
let iteration: i32 = 0;
let polished = false;
let within = false;

/**
 * Minimises Σ [log(1 + e^z) − y z] + ‖w‖² / (2C), z = X β (+ b), the intercept unpenalised, by
 * Newton's method with a Cholesky solve and a backtracking line search. An iteration is one pass
 * for the gradient and Hessian, one for X·step, and one exp and log1p per row for each step
 * length tried. Once the gradient is within `tol`, one more Newton step is taken (a polish):
 * convergence is quadratic there, so it brings the coefficients from ~1e-2 to a few 1e-6
 * (relative) of the optimum along the flat directions that one-hot columns and an intercept
 * create, for one cheap iteration. The coefficients (then the intercept) end at `betaPointer()`.
 *
 * Answers DONE, or NEEDS_STEP when a Hessian is not numerically positive definite: the caller
 * then writes the least-squares solution of H s = g (H by its lower triangle, at
 * `hessianPointer()`; g at `gradientPointer()`) to `stepPointer()` and calls {@link resume}.
 */
export function newton(C: f64, maxIter: i32, tol: f64): i32 {
  strength = 1 / C;
  limit = maxIter;
  tolerance = tol;
  objective = lossAlong(z, 0, z, probability);
  polished = false;
  iteration = 0;
  return iterate(false);
}

/** Goes on from NEEDS_STEP, the step written. */
export function resume(): i32 {
  return iterate(true);
}

function iterate(stepGiven: bool): i32 {
  for (; ; iteration++) {
    if (!stepGiven) {
      gradientMax = Infinity;
      if (polished) {
        accumulate(false);
        assemble(false);
        gradientMax = addPenalty(strength, false);
      }
      if (!(gradientMax <= tolerance)) {
        accumulate(true);
        assemble(true);
        gradientMax = addPenalty(strength, true);
      }
      within = gradientMax <= tolerance;
      if (within && (polished || iteration >= limit)) {
        stop(iteration, true);
        return DONE;
      }
      if (iteration >= limit) {
        stop(iteration, false);
        return DONE;
      }
      polished = within;
      if (!solve()) return NEEDS_STEP;
    }
    stepGiven = false;
    multiply();
    const next = lineSearch(strength);
    if (next > objective) {
      // No decrease possible even at tiny steps: at rounding level, converged only if within tol.
      stop(iteration + 1, within);
      return DONE;
    }
    let swap = beta;
    beta = nextBeta;
    nextBeta = swap;
    swap = z;
    z = nextZ;
    nextZ = swap;
    swap = probability;
    probability = nextProbability;
    nextProbability = swap;
    objective = next;
  }
  // biome-ignore lint/correctness/noUnreachable: AssemblyScript asks for a return after the loop.
  return DONE;
}

function stop(count: i32, done: bool): void {
  iterations = count;
  converged = done ? 1 : 0;
}
