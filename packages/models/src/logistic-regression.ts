import type {
  Classifier,
  FeatureImportance,
  Features,
  FitOptions,
  PredictOptions,
} from './classifier.js';
import { ModelError } from './errors.js';
import { readFeatures } from './internal/features.js';
import { check, isFiniteArray, isStringArray, readModelState } from './internal/json.js';
import { sigmoid } from './internal/logistic.js';
import { LogisticCore } from './internal/logistic-core.js';
import {
  assertKnownOptions,
  assertLabels,
  assertRow,
  integerOption,
  positiveOption,
  readCallOptions,
  readFeatureNames,
  readThreshold,
} from './internal/validate.js';

/** Hyperparameters of {@link LogisticRegression}, named as scikit-learn names them (camelCase). */
export interface LogisticRegressionOptions {
  /** Inverse L2 regularisation strength. Default `1.0`. */
  C?: number;
  /** Newton iterations allowed. Default `100`. */
  maxIter?: number;
  /**
   * Converged when the largest gradient component of the mean loss (scikit-learn's scaling) is
   * ≤ `tol`. Default `1e-4`.
   */
  tol?: number;
  /** Learn an (unpenalised) intercept. Default `true`. */
  fitIntercept?: boolean;
  /** Reaching `maxIter` unconverged throws `NOT_CONVERGED` (`'error'`, default) or records a warning (`'warn'`). */
  onNotConverged?: 'error' | 'warn';
}

/** How the last fit went. */
export interface LogisticRegressionFitInfo {
  solver: 'newton-cholesky';
  iterations: number;
  converged: boolean;
  /** Largest gradient component of the mean loss at the solution. */
  gradientMax: number;
  /** Penalised log-loss (sum over rows) at the solution. */
  objective: number;
  /** Set when `onNotConverged: 'warn'` let an unconverged fit through. */
  warning?: string;
}

/** The saved form of a fitted {@link LogisticRegression}. */
export interface LogisticRegressionJSON {
  kind: 'logistic-regression';
  formatVersion: 1;
  options: Required<Omit<LogisticRegressionOptions, 'onNotConverged'>>;
  featureNames: string[];
  coefficients: number[];
  intercept: number;
  fitInfo: LogisticRegressionFitInfo;
}

/** The constructor's option names (anything else is refused). */
const LOGISTIC_OPTION_NAMES = ['C', 'maxIter', 'tol', 'fitIntercept', 'onNotConverged'] as const;

/**
 * Binary logistic regression with an L2 penalty — the problem scikit-learn's
 * `LogisticRegression(penalty='l2', C=…)` solves — minimised by Newton's method with a Cholesky
 * solve and a backtracking line search (in WebAssembly), to convergence or a loud failure.
 *
 * @example
 * ```ts
 * const model = new LogisticRegression({ C: 1 }).fit(features, labels, { featureNames });
 * model.predictProba(testFeatures); // Float64Array of P(class 1)
 * model.fitInfo.iterations; // e.g. 7
 * ```
 */
export class LogisticRegression implements Classifier {
  readonly kind = 'logistic-regression';
  readonly C: number;
  readonly maxIter: number;
  readonly tol: number;
  readonly fitIntercept: boolean;
  readonly onNotConverged: 'error' | 'warn';
  #coefficients: Float64Array | undefined;
  #intercept = 0;
  #featureNames: string[] = [];
  #fitInfo: LogisticRegressionFitInfo | undefined;

  constructor(options: LogisticRegressionOptions = {}) {
    assertKnownOptions('LogisticRegression', options, LOGISTIC_OPTION_NAMES);
    this.C = positiveOption('C', options.C ?? 1);
    this.maxIter = integerOption('maxIter', options.maxIter ?? 100, 1);
    this.tol = positiveOption('tol', options.tol ?? 1e-4);
    this.fitIntercept = options.fitIntercept ?? true;
    if (typeof this.fitIntercept !== 'boolean') {
      throw new ModelError({ code: 'INVALID_OPTION', message: 'fitIntercept must be a boolean' });
    }
    this.onNotConverged = options.onNotConverged ?? 'error';
    if (this.onNotConverged !== 'error' && this.onNotConverged !== 'warn') {
      throw new ModelError({
        code: 'INVALID_OPTION',
        message: "onNotConverged must be 'error' or 'warn'",
      });
    }
  }

  /** The options in constructor form (for a copy: `new LogisticRegression({ ...lr.options, C: 10 })`). */
  get options(): Required<LogisticRegressionOptions> {
    return {
      C: this.C,
      maxIter: this.maxIter,
      tol: this.tol,
      fitIntercept: this.fitIntercept,
      onNotConverged: this.onNotConverged,
    };
  }

  get params(): Record<string, number | string | boolean> {
    return {
      C: this.C,
      max_iter: this.maxIter,
      tol: this.tol,
      fit_intercept: this.fitIntercept,
      penalty: 'l2',
      solver: 'newton-cholesky',
    };
  }

  /** Fitted weights, one per feature. */
  get coefficients(): number[] {
    return Array.from(this.#fitted());
  }

  /** Fitted intercept (0 without `fitIntercept`). */
  get intercept(): number {
    this.#fitted();
    return this.#intercept;
  }

  get featureNames(): readonly string[] {
    this.#fitted();
    return this.#featureNames;
  }

  /** Iterations, convergence and objective of the last fit. */
  get fitInfo(): LogisticRegressionFitInfo {
    this.#fitted();
    return { ...this.#fitInfo! };
  }

  fit(features: Features, labels: ArrayLike<number>, options: FitOptions = {}): this {
    const what = 'LogisticRegression.fit';
    // The core checks a dense matrix's values as it copies them in.
    const input = readFeatures(features, what, undefined, false);
    const p = input.p;
    const y = assertLabels(labels, input.n, what);
    const names = readFeatureNames(readCallOptions(options, what).featureNames, p, what);
    const result = LogisticCore.load(input, y, this.fitIntercept, what).newton(this);
    if (!result.converged && this.onNotConverged === 'error') {
      throw new ModelError({
        code: 'NOT_CONVERGED',
        message: `LogisticRegression did not converge in maxIter=${this.maxIter} iterations (largest mean-gradient component ${result.gradientMax.toExponential(2)} > tol=${this.tol}); raise maxIter, scale the features, or lower C`,
      });
    }
    this.#coefficients = result.beta.slice(0, p);
    this.#intercept = this.fitIntercept ? result.beta[p]! : 0;
    this.#featureNames = names;
    this.#fitInfo = {
      solver: 'newton-cholesky',
      iterations: result.iterations,
      converged: result.converged,
      gradientMax: result.gradientMax,
      objective: result.objective,
      ...(result.converged ? {} : { warning: `not converged in ${this.maxIter} iterations` }),
    };
    return this;
  }

  predictProbaRow(row: ArrayLike<number>): number {
    const w = this.#fitted();
    assertRow(row, w.length, 'LogisticRegression.predictProbaRow');
    let z = this.#intercept;
    for (let j = 0; j < w.length; j++) z += w[j]! * row[j]!;
    return sigmoid(z);
  }

  predictProba(features: Features): Float64Array {
    const w = this.#fitted();
    const { n, p, dense, rows } = readFeatures(
      features,
      'LogisticRegression.predictProba',
      w.length,
    );
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let z = this.#intercept;
      if (dense) for (let j = 0; j < p; j++) z += w[j]! * dense[i * p + j]!;
      else {
        const row = rows![i]!;
        for (let j = 0; j < p; j++) z += w[j]! * row[j]!;
      }
      out[i] = sigmoid(z);
    }
    return out;
  }

  predict(features: Features, options: PredictOptions = {}): Uint8Array {
    const threshold = readThreshold(
      readCallOptions(options, `LogisticRegression.predict`).threshold,
    );
    return Uint8Array.from(this.predictProba(features), (probability) =>
      probability >= threshold ? 1 : 0,
    );
  }

  /** |coefficient| per feature: the usual importance of a linear model on scaled features. */
  featureImportances(): FeatureImportance[] {
    const w = this.#fitted();
    return this.#featureNames.map((feature, j) => ({ feature, importance: Math.abs(w[j]!) }));
  }

  toJSON(): LogisticRegressionJSON {
    const w = this.#fitted();
    return {
      kind: this.kind,
      formatVersion: 1,
      options: { C: this.C, maxIter: this.maxIter, tol: this.tol, fitIntercept: this.fitIntercept },
      featureNames: [...this.#featureNames],
      coefficients: Array.from(w),
      intercept: this.#intercept,
      fitInfo: this.fitInfo,
    };
  }

  /** Rebuilds a fitted model from {@link LogisticRegression.toJSON}'s output (object or JSON text). */
  static load(json: unknown): LogisticRegression {
    const state = readModelState<LogisticRegressionJSON>(json, 'logistic-regression', 1);
    check(state.options && typeof state.options === 'object', state.kind, 'options missing');
    check(
      isFiniteArray(state.coefficients) && state.coefficients.length > 0,
      state.kind,
      'coefficients must be finite numbers',
    );
    check(
      typeof state.intercept === 'number' && Number.isFinite(state.intercept),
      state.kind,
      'intercept must be a finite number',
    );
    check(
      isStringArray(state.featureNames, state.coefficients.length),
      state.kind,
      'featureNames must name every coefficient',
    );
    let model: LogisticRegression;
    try {
      model = new LogisticRegression(state.options);
    } catch (error) {
      throw new ModelError({
        code: 'INVALID_JSON',
        message: `${state.kind}: bad options (${(error as Error).message})`,
        cause: error,
      });
    }
    model.#coefficients = Float64Array.from(state.coefficients);
    model.#intercept = state.intercept;
    model.#featureNames = [...state.featureNames];
    model.#fitInfo = state.fitInfo;
    return model;
  }

  #fitted(): Float64Array {
    if (!this.#coefficients) {
      throw new ModelError({
        code: 'NOT_FITTED',
        message: 'LogisticRegression is not fitted: call fit() first',
      });
    }
    return this.#coefficients;
  }
}
