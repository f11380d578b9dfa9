// The numeric core of LogisticRegression.fit, in AssemblyScript: the packed design matrix
// (design.ts) and the Newton solver (newton.ts). Compiled to src/internal/logistic-wasm.ts by
// scripts/build-wasm.ts (`pnpm build:wasm`); src/internal/logistic-core.ts drives it.
// WebAssembly runs compiled code from the first call, where the same loops in JavaScript start in
// V8's interpreter (see the README).
//
// The protocol, in order:
//   begin → (copy rows into the chunk, scan)* → prepare → (copy rows into the chunk, group)* →
//   finish → newton (→ resume, each time it answers NEEDS_STEP). `group` may answer TOO_MANY_PATTERNS: the caller calls `dense` and feeds
//   every row to `group` again. An export that allocates answers OUT_OF_MEMORY (-1) past 4 GiB.

import { pack } from './design';
import { OK } from './memory';
import {
  accumulate,
  allocateNewton,
  assemble,
  beta,
  direction,
  gradient,
  hessian,
  multiply,
  probability,
  step,
} from './newton';

export {
  begin,
  chunkPointer,
  dense,
  group,
  keptCount,
  labelsPointer,
  patternCount,
  prepare,
  scan,
} from './design';
export {
  converged,
  gradientMax,
  iterations,
  newton,
  objective,
  resume,
} from './newton';

/** Where newton leaves the coefficients, then the intercept. */
export function betaPointer(): usize {
  return beta;
}

/** After every row is packed: each pattern's unknowns, and Newton's buffers. */
export function finish(): i32 {
  const status = pack();
  return status !== OK ? status : allocateNewton();
}

// For the tests: the gradient and Hessian (no penalty) at the probabilities the caller writes at
// `probabilityPointer()`, and X · (what the caller writes at `stepPointer()`) at
// `directionPointer()`.

export function probabilityPointer(): usize {
  return probability;
}

export function stepPointer(): usize {
  return step;
}

export function gradientPointer(): usize {
  return gradient;
}

export function hessianPointer(): usize {
  return hessian;
}

export function directionPointer(): usize {
  return direction;
}

export function sums(): void {
  accumulate(true);
  assemble(true);
}

export function product(): void {
  multiply();
}
