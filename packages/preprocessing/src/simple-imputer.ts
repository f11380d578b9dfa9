import { PreprocessingError } from './errors.js';
import { distinctCounts } from './internal/distinct.js';
import { check, isNumberArray, readState } from './internal/json.js';
import { assertFitted, assertWidth, toColumns, toFloatRows } from './internal/matrix.js';
import { readOptions } from './internal/options.js';
import type { MatrixInput } from './matrix-input.js';
import type { Transformer } from './transformer.js';

/** How {@link SimpleImputer} fills a missing value, as scikit-learn's `strategy`. */
export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';

/** Options for {@link SimpleImputer}. */
export interface SimpleImputerOptions {
  /** Default `'mean'` (scikit-learn's default). */
  strategy?: ImputeStrategy;
  /** The value used by `strategy: 'constant'`. Default `0`. */
  fillValue?: number;
}

/** The saved form of a fitted {@link SimpleImputer}. */
export interface SimpleImputerJSON {
  kind: 'simple-imputer';
  formatVersion: 1;
  strategy: ImputeStrategy;
  fillValue: number;
  /** The fill value of each column. */
  statistics: number[];
}

const STRATEGIES: readonly ImputeStrategy[] = ['mean', 'median', 'most_frequent', 'constant'];

/**
 * Replaces missing values (`NaN`/`null`) column by column with the column's mean, median, most
 * frequent value (the smallest on ties) or a constant — scikit-learn's `SimpleImputer`. A column
 * with no value at all is filled with `0` (scikit-learn's `keep_empty_features=True`), so the
 * output keeps its width.
 *
 * @example
 * ```ts
 * const imputer = new SimpleImputer({ strategy: 'median' }).fit([[1], [NaN], [3], [10]]);
 * imputer.transform([[null]]); // [Float64Array [3]]
 * ```
 */
export class SimpleImputer implements Transformer {
  readonly kind = 'simple-imputer';
  readonly strategy: ImputeStrategy;
  readonly fillValue: number;
  #statistics: Float64Array | undefined;

  constructor(options: SimpleImputerOptions = {}) {
    const given = readOptions(options, 'SimpleImputer');
    const strategy = given.strategy ?? 'mean';
    if (!STRATEGIES.includes(strategy)) {
      throw new PreprocessingError({
        code: 'INVALID_OPTION',
        message: `SimpleImputer: strategy must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`,
      });
    }
    const fillValue = given.fillValue ?? 0;
    if (!Number.isFinite(fillValue)) {
      throw new PreprocessingError({
        code: 'INVALID_OPTION',
        message: 'SimpleImputer: fillValue must be a finite number',
      });
    }
    this.strategy = strategy;
    this.fillValue = fillValue;
  }

  /** The fitted fill value of each column. */
  get statistics(): number[] {
    assertFitted(this.#statistics, 'SimpleImputer');
    return Array.from(this.#statistics);
  }

  fit(rows: MatrixInput): this {
    return this.fitColumns(toColumns(toFloatRows(rows, 'SimpleImputer.fit')));
  }

  /** {@link SimpleImputer.fit} from one array per column (`NaN` missing): the same statistics. */
  fitColumns(columns: readonly Float64Array[]): this {
    this.#statistics = Float64Array.from(columns, (column) => this.#statistic(present(column)));
    return this;
  }

  /** Transforms one array per column into new ones (the column form of `transform`). */
  transformColumns(columns: readonly Float64Array[]): Float64Array[] {
    const statistics = this.#statistics;
    assertFitted(statistics, 'SimpleImputer');
    assertWidth(columns, statistics.length, 'SimpleImputer');
    return columns.map((column, j) => {
      const fill = statistics[j]!;
      const out = new Float64Array(column.length);
      for (let i = 0; i < column.length; i++) {
        const value = column[i]!;
        out[i] = Number.isNaN(value) ? fill : value;
      }
      return out;
    });
  }

  transform(rows: MatrixInput): Float64Array[] {
    assertFitted(this.#statistics, 'SimpleImputer');
    return toFloatRows(rows, 'SimpleImputer.transform', this.#statistics.length).map((row) =>
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
    const statistics = this.#statistics;
    assertFitted(statistics, 'SimpleImputer');
    assertWidth(row, statistics.length, 'SimpleImputer');
    for (let j = 0; j < statistics.length; j++) {
      const value = row[j]!;
      out[offset + j] = Number.isNaN(value) ? statistics[j]! : value;
    }
    return statistics.length;
  }

  featureNamesOut(inputNames: readonly string[]): string[] {
    return [...inputNames];
  }

  toJSON(): SimpleImputerJSON {
    return {
      kind: this.kind,
      formatVersion: 1,
      strategy: this.strategy,
      fillValue: this.fillValue,
      statistics: this.statistics,
    };
  }

  /** Rebuilds a fitted imputer from {@link SimpleImputer.toJSON}'s output (object or string). */
  static load(json: unknown): SimpleImputer {
    const state = readState<SimpleImputerJSON>(json, 'simple-imputer', 1);
    check(
      isNumberArray(state.statistics) && state.statistics.length > 0,
      state.kind,
      'statistics must be a non-empty array of finite numbers',
    );
    const imputer = new SimpleImputer({ strategy: state.strategy, fillValue: state.fillValue });
    imputer.#statistics = Float64Array.from(state.statistics);
    return imputer;
  }

  #statistic(values: Float64Array): number {
    if (this.strategy === 'constant') return this.fillValue;
    if (values.length === 0) return 0;
    switch (this.strategy) {
      case 'mean': {
        let sum = 0;
        for (const value of values) sum += value;
        return sum / values.length;
      }
      case 'median': {
        const sorted = values.sort();
        const middle = sorted.length >> 1;
        return sorted.length % 2 === 1
          ? sorted[middle]!
          : (sorted[middle - 1]! + sorted[middle]!) / 2;
      }
      default:
        return mostFrequent(values);
    }
  }
}

/** The column's values that are not NaN (plain loops: a typed array's filter boxes every value). */
function present(column: Float64Array): Float64Array {
  let count = 0;
  for (let i = 0; i < column.length; i++) if (!Number.isNaN(column[i])) count++;
  const out = new Float64Array(count);
  for (let i = 0, k = 0; i < column.length; i++)
    if (!Number.isNaN(column[i])) out[k++] = column[i]!;
  return out;
}

/** The most frequent value; the smallest one among ties (scikit-learn's rule). */
function mostFrequent(values: Float64Array): number {
  // Counted in one pass (no sort of the column); ties go to the smallest value.
  const { values: distinct, counts } = distinctCounts(values);
  let best = Number.NaN;
  let bestCount = 0;
  distinct.forEach((value, k) => {
    const count = counts[k]!;
    if (count > bestCount || (count === bestCount && value < best)) {
      best = value;
      bestCount = count;
    }
  });
  // A sort puts −0 first in the run of zeros, and that run's first value was the answer.
  if (best === 0 && values.some((value) => Object.is(value, -0))) return -0;
  return best;
}
