import { ModelError } from '../errors.js';
import { type FeatureInput, nonFiniteError } from './features.js';
import { solveLeastSquares } from './least-squares.js';
import { LOGISTIC_WASM } from './logistic-wasm.js';

/** The settings of {@link LogisticCore.newton}: those of `LogisticRegression`. */
export interface NewtonOptions {
  C: number;
  maxIter: number;
  tol: number;
}

/** Where {@link LogisticCore.newton} stopped. */
export interface NewtonResult {
  /** Coefficients, then the intercept when fitted. */
  beta: Float64Array;
  iterations: number;
  converged: boolean;
  gradientMax: number;
  objective: number;
}

/** The exports of assembly/logistic.ts (pointers are byte offsets into `memory`). */
interface Core {
  memory: WebAssembly.Memory;
  iterations: WebAssembly.Global;
  converged: WebAssembly.Global;
  gradientMax: WebAssembly.Global;
  objective: WebAssembly.Global;
  begin(rows: number, columns: number, intercept: number, chunkRows: number): number;
  chunkPointer(): number;
  labelsPointer(): number;
  scan(rows: number): number;
  prepare(): number;
  dense(): number;
  group(rows: number, first: number): number;
  finish(): number;
  patternCount(): number;
  keptCount(): number;
  newton(C: number, maxIter: number, tol: number): number;
  resume(): number;
  betaPointer(): number;
  probabilityPointer(): number;
  stepPointer(): number;
  gradientPointer(): number;
  hessianPointer(): number;
  directionPointer(): number;
  sums(): void;
  product(): void;
}

const OUT_OF_MEMORY = -1;
/**
 * newton's answer when the caller is to write the step (assembly/newton.ts). A callback into
 * JavaScript instead would be an import, and with one the module took ~0.6 ms more to compile and
 * instantiate as a process's first.
 */
const NEEDS_STEP = 1;
const MAX_ITERATIONS = 2 ** 31 - 1;
const TOO_MANY_PATTERNS = 1;
/** Values per chunk of rows copied in at a time: 1 MiB, whatever the width. */
const CHUNK_VALUES = 131_072;

let compiled: WebAssembly.Module | undefined;

/** The module, compiled once per thread on first use (12.6 KB, no imports: ~0.5 ms as a process's first module). */
function logisticModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(LOGISTIC_WASM, 'base64'));
  return compiled;
}

/**
 * The numeric core of `LogisticRegression.fit`: one WebAssembly instance holding one problem's
 * packed design matrix (see assembly/logistic.ts). The rows go in a chunk at a time, so the
 * instance holds the packed design, not a second copy of the matrix; it is dropped with its memory
 * after the fit.
 */
export class LogisticCore {
  readonly n: number;
  readonly p: number;
  /** Unknowns: features, then the intercept when fitted. */
  readonly d: number;
  readonly #core: Core;
  #fallbacks = 0;

  private constructor(core: Core, n: number, p: number, d: number) {
    this.#core = core;
    this.n = n;
    this.p = p;
    this.d = d;
  }

  /**
   * Packs `input` (shape-checked; a dense matrix's values are checked here) and labels `y`.
   * `chunkRows` overrides the rows copied in at a time (tests).
   */
  static load(
    input: FeatureInput,
    y: Uint8Array,
    intercept: boolean,
    what: string,
    chunkRows = Math.max(1, Math.min(input.n, Math.floor(CHUNK_VALUES / input.p))),
  ): LogisticCore {
    const { n, p } = input;
    const core = new WebAssembly.Instance(logisticModule()).exports as unknown as Core;
    const need = (status: number) => {
      if (status === OUT_OF_MEMORY) throw tooLarge(what, n, p);
    };
    need(core.begin(n, p, intercept ? 1 : 0, chunkRows));
    new Uint8Array(core.memory.buffer, core.labelsPointer(), n).set(y);
    const fill = (first: number, rows: number) => {
      const chunk = new Float64Array(core.memory.buffer, core.chunkPointer(), rows * p);
      if (input.dense) chunk.set(input.dense.subarray(first * p, (first + rows) * p));
      else {
        for (let r = 0; r < rows; r++) chunk.set(input.rows![first + r]!, r * p);
      }
      return chunk;
    };
    for (let first = 0; first < n; first += chunkRows) {
      const rows = Math.min(chunkRows, n - first);
      const chunk = fill(first, rows);
      const bad = core.scan(rows);
      if (bad >= 0) throw nonFiniteError(what, first * p + bad, p, chunk[bad]!);
    }
    need(core.prepare());
    for (let first = 0; first < n; ) {
      const rows = Math.min(chunkRows, n - first);
      // One chunk holds every row already (the common case for small data): no second copy.
      if (chunkRows < n) fill(first, rows);
      const status = core.group(rows, first);
      if (status === TOO_MANY_PATTERNS) {
        need(core.dense());
        first = 0;
        continue;
      }
      need(status);
      first += rows;
    }
    need(core.finish());
    return new LogisticCore(core, n, p, p + (intercept ? 1 : 0));
  }

  /** Patterns of the 0/1 columns the rows were grouped by (1: not grouped). */
  get patterns(): number {
    return this.#core.patternCount();
  }

  /** Bytes of the instance's memory (tests). */
  get memoryBytes(): number {
    return this.#core.memory.buffer.byteLength;
  }

  /** Newton steps solved by least squares, the Hessian not numerically positive definite. */
  get fallbacks(): number {
    return this.#fallbacks;
  }

  /** Columns summed per row (the others are the patterns' 0/1 columns). */
  get kept(): number {
    return this.#core.keptCount();
  }

  /**
   * Minimises Σ [log(1 + e^z) − y z] + ‖w‖² / (2C), z = X β (+ b), the intercept unpenalised, by
   * Newton's method with a Cholesky solve, a backtracking line search and one polishing step once
   * within `tol` (see assembly/newton.ts). A Hessian that is not numerically positive definite
   * gets its step from a least-squares solve here. Once per core.
   */
  newton({ C, maxIter, tol }: NewtonOptions): NewtonResult {
    const core = this.#core;
    const { d } = this;
    // The module takes an i32: more iterations than that is "until converged" all the same.
    let status = core.newton(C, Math.min(maxIter, MAX_ITERATIONS), tol);
    while (status === NEEDS_STEP) {
      this.#fallbacks++;
      const { buffer } = core.memory;
      const solution = solveLeastSquares(
        new Float64Array(buffer, core.hessianPointer(), d * d),
        new Float64Array(buffer, core.gradientPointer(), d),
        d,
      );
      new Float64Array(buffer, core.stepPointer(), d).set(solution);
      status = core.resume();
    }
    return {
      beta: new Float64Array(core.memory.buffer, core.betaPointer(), this.d).slice(),
      iterations: core.iterations.value as number,
      converged: core.converged.value === 1,
      gradientMax: core.gradientMax.value as number,
      objective: core.objective.value as number,
    };
  }

  /** The loss's gradient and Hessian (lower triangle; no penalty) at `probability` (tests). */
  sums(probability: Float64Array): { gradient: Float64Array; hessian: Float64Array } {
    const core = this.#core;
    new Float64Array(core.memory.buffer, core.probabilityPointer(), this.n).set(probability);
    core.sums();
    const { buffer } = core.memory;
    return {
      gradient: new Float64Array(buffer, core.gradientPointer(), this.d).slice(),
      hessian: new Float64Array(buffer, core.hessianPointer(), this.d * this.d).slice(),
    };
  }

  /** X · beta, the intercept last (tests). */
  product(beta: Float64Array): Float64Array {
    const core = this.#core;
    new Float64Array(core.memory.buffer, core.stepPointer(), this.d).set(beta);
    core.product();
    return new Float64Array(core.memory.buffer, core.directionPointer(), this.n).slice();
  }
}

function tooLarge(what: string, n: number, p: number): ModelError {
  return new ModelError({
    code: 'INVALID_INPUT',
    message: `${what}: ${n} rows × ${p} features need more memory than WebAssembly could get (it holds at most 4 GiB); fit on fewer rows or features`,
  });
}
