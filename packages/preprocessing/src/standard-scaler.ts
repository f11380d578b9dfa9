import { PreprocessingError } from './errors.js';
import { check, isNumberArray, readState } from './internal/json.js';
import { assertFitted, assertWidth, toColumns, toFloatRows } from './internal/matrix.js';
import { readFlag, readOptions } from './internal/options.js';
import type { MatrixInput } from './matrix-input.js';
import type { Transformer } from './transformer.js';

/** Options for {@link StandardScaler}. */
export interface StandardScalerOptions {
  /** Subtract the mean. Default `true`. */
  withMean?: boolean;
  /** Divide by the standard deviation. Default `true`. */
  withStd?: boolean;
}

/** The saved form of a fitted {@link StandardScaler}. */
export interface StandardScalerJSON {
  kind: 'standard-scaler';
  formatVersion: 1;
  withMean: boolean;
  withStd: boolean;
  mean: number[];
  /** Population standard deviation per column; `1` for constant columns. */
  scale: number[];
}

/**
 * Standardises each column to zero mean and unit variance — scikit-learn's `StandardScaler`: the
 * population standard deviation (ddof = 0), missing values ignored when fitting and kept as `NaN`,
 * and constant columns scaled by 1 instead of divided by zero.
 *
 * @example
 * ```ts
 * const scaler = new StandardScaler().fit([[1], [2], [3]]);
 * scaler.transform([[3]]); // [Float64Array [1.2247…]]
 * ```
 */
export class StandardScaler implements Transformer {
  readonly kind = 'standard-scaler';
  readonly withMean: boolean;
  readonly withStd: boolean;
  #mean: Float64Array | undefined;
  #scale: Float64Array | undefined;

  constructor(options: StandardScalerOptions = {}) {
    const given = readOptions(options, 'StandardScaler');
    this.withMean = readFlag(given.withMean, 'withMean', true, 'StandardScaler');
    this.withStd = readFlag(given.withStd, 'withStd', true, 'StandardScaler');
  }

  /** Fitted column means. */
  get mean(): number[] {
    assertFitted(this.#mean, 'StandardScaler');
    return Array.from(this.#mean);
  }

  /** Fitted column scales (population standard deviations, 1 for constant columns). */
  get scale(): number[] {
    assertFitted(this.#scale, 'StandardScaler');
    return Array.from(this.#scale);
  }

  fit(rows: MatrixInput): this {
    return this.fitColumns(toColumns(toFloatRows(rows, 'StandardScaler.fit')));
  }

  /** {@link StandardScaler.fit} from one array per column (`NaN` ignored): the same numbers. */
  fitColumns(columns: readonly Float64Array[]): this {
    const width = columns.length;
    const mean = new Float64Array(width);
    const scale = new Float64Array(width).fill(1);
    for (let j = 0; j < width; j++) {
      const column = columns[j]!;
      let count = 0;
      let sum = 0;
      for (const value of column) {
        if (!Number.isNaN(value)) {
          sum += value;
          count++;
        }
      }
      if (count === 0) {
        throw new PreprocessingError({
          code: 'INVALID_INPUT',
          message: `StandardScaler.fit: column ${j} has no values (impute it first)`,
        });
      }
      const m = sum / count;
      let squares = 0;
      for (const value of column) {
        if (!Number.isNaN(value)) squares += (value - m) ** 2;
      }
      const variance = squares / count;
      mean[j] = m;
      // scikit-learn's _is_constant_feature: variance within rounding error of zero → scale 1.
      const eps = Number.EPSILON;
      const bound = count * eps * variance + (count * m * eps) ** 2;
      scale[j] = variance <= bound ? 1 : Math.sqrt(variance);
    }
    this.#mean = mean;
    this.#scale = scale;
    return this;
  }

  /** Transforms one array per column into new ones (the column form of `transform`). */
  transformColumns(columns: readonly Float64Array[]): Float64Array[] {
    const mean = this.#mean;
    const scale = this.#scale;
    assertFitted(mean, 'StandardScaler');
    assertFitted(scale, 'StandardScaler');
    assertWidth(columns, mean.length, 'StandardScaler');
    return columns.map((column, j) => {
      const shift = this.withMean ? mean[j]! : 0;
      const divide = this.withStd ? scale[j]! : 1;
      const out = new Float64Array(column.length);
      for (let i = 0; i < column.length; i++) out[i] = (column[i]! - shift) / divide;
      return out;
    });
  }

  transform(rows: MatrixInput): Float64Array[] {
    assertFitted(this.#mean, 'StandardScaler');
    return toFloatRows(rows, 'StandardScaler.transform', this.#mean.length).map((row) =>
      this.transformRow(row),
    );
  }

  fitTransform(rows: MatrixInput): Float64Array[] {
    return this.fit(rows).transform(rows);
  }

  transformRow(row: ArrayLike<number>): Float64Array {
    const out = new Float64Array(row.length);
    this.transformRowInto(row, out, 0);
    return out;
  }

  transformRowInto(row: ArrayLike<number>, out: Float64Array, offset: number): number {
    const mean = this.#mean;
    const scale = this.#scale;
    assertFitted(mean, 'StandardScaler');
    assertFitted(scale, 'StandardScaler');
    assertWidth(row, mean.length, 'StandardScaler');
    for (let j = 0; j < mean.length; j++) {
      let value = row[j]!;
      if (this.withMean) value -= mean[j]!;
      if (this.withStd) value /= scale[j]!;
      out[offset + j] = value;
    }
    return mean.length;
  }

  featureNamesOut(inputNames: readonly string[]): string[] {
    return [...inputNames];
  }

  toJSON(): StandardScalerJSON {
    return {
      kind: this.kind,
      formatVersion: 1,
      withMean: this.withMean,
      withStd: this.withStd,
      mean: this.mean,
      scale: this.scale,
    };
  }

  /** Rebuilds a fitted scaler from {@link StandardScaler.toJSON}'s output (object or string). */
  static load(json: unknown): StandardScaler {
    const state = readState<StandardScalerJSON>(json, 'standard-scaler', 1);
    check(
      isNumberArray(state.mean) && state.mean.length > 0,
      state.kind,
      'mean must be a non-empty array of finite numbers',
    );
    check(
      isNumberArray(state.scale, state.mean.length) && state.scale.every((value) => value > 0),
      state.kind,
      'scale must hold one positive number per column',
    );
    const scaler = new StandardScaler({
      withMean: state.withMean !== false,
      withStd: state.withStd !== false,
    });
    scaler.#mean = Float64Array.from(state.mean);
    scaler.#scale = Float64Array.from(state.scale);
    return scaler;
  }
}
