import { PreprocessingError } from './errors.js';
import { distinctCounts } from './internal/distinct.js';
import { check, readState } from './internal/json.js';
import { assertFitted, assertWidth, toColumns, toFloatRows } from './internal/matrix.js';
import { readOptions } from './internal/options.js';
import type { MatrixInput } from './matrix-input.js';
import type { Transformer } from './transformer.js';

/** Options for {@link OneHotEncoder}. */
export interface OneHotEncoderOptions {
  /**
   * What to do with a category not seen in `fit`: `'error'` (scikit-learn's default) throws,
   * `'ignore'` gives all-zero columns for that feature.
   */
  handleUnknown?: 'error' | 'ignore';
}

/** The saved form of a fitted {@link OneHotEncoder}. */
export interface OneHotEncoderJSON {
  kind: 'one-hot-encoder';
  formatVersion: 1;
  handleUnknown: 'error' | 'ignore';
  /** Sorted categories of each column; `null` stands for a `NaN` category (sorted last). */
  categories: (number | null)[][];
}

/**
 * Encodes each column's categories as 0/1 columns — scikit-learn's `OneHotEncoder` with dense
 * output: categories sorted ascending (a `NaN` category last), unknown categories either refused
 * or, with `handleUnknown: 'ignore'`, encoded as all zeros.
 *
 * @example
 * ```ts
 * const encoder = new OneHotEncoder({ handleUnknown: 'ignore' }).fit([[3], [7], [6]]);
 * encoder.transform([[7], [5]]); // [[0, 0, 1], [0, 0, 0]]
 * encoder.featureNamesOut(['thal']); // ['thal=3', 'thal=6', 'thal=7']
 * ```
 */
export class OneHotEncoder implements Transformer {
  readonly kind = 'one-hot-encoder';
  readonly handleUnknown: 'error' | 'ignore';
  #categories: number[][] | undefined;
  #lookup: Map<number, number>[] = [];
  #nanIndex: number[] = [];
  #offsets: number[] = [];
  #width = 0;

  constructor(options: OneHotEncoderOptions = {}) {
    const handleUnknown = readOptions(options, 'OneHotEncoder').handleUnknown ?? 'error';
    if (handleUnknown !== 'error' && handleUnknown !== 'ignore') {
      throw new PreprocessingError({
        code: 'INVALID_OPTION',
        message: `OneHotEncoder: handleUnknown must be 'error' or 'ignore', got ${JSON.stringify(handleUnknown)}`,
      });
    }
    this.handleUnknown = handleUnknown;
  }

  /** Fitted categories per column (`NaN` for a missing-value category). */
  get categories(): number[][] {
    assertFitted(this.#categories, 'OneHotEncoder');
    return this.#categories.map((list) => [...list]);
  }

  fit(rows: MatrixInput): this {
    return this.fitColumns(toColumns(toFloatRows(rows, 'OneHotEncoder.fit')));
  }

  /** {@link OneHotEncoder.fit} from one array per column (`NaN` missing): the same categories. */
  fitColumns(columns: readonly Float64Array[]): this {
    const categories = columns.map((column) => {
      const sorted = distinctCounts(column).values.sort((a, b) => a - b);
      if (column.some(Number.isNaN)) sorted.push(Number.NaN);
      return sorted;
    });
    this.#setCategories(categories);
    return this;
  }

  /**
   * Encodes one array per column into one 0/1 array per output column (the column form of
   * `transform`); `firstRow` numbers the rows in an unknown-category message.
   */
  transformColumns(columns: readonly Float64Array[], firstRow = 0): Float64Array[] {
    const categories = this.#categories;
    assertFitted(categories, 'OneHotEncoder');
    assertWidth(columns, categories.length, 'OneHotEncoder');
    const rows = columns[0]?.length ?? 0;
    const out = Array.from({ length: this.#width }, () => new Float64Array(rows));
    columns.forEach((column, j) => {
      for (let i = 0; i < rows; i++) {
        const index = this.#indexOf(j, column[i]!, firstRow + i);
        if (index >= 0) out[this.#offsets[j]! + index]![i] = 1;
      }
    });
    return out;
  }

  transform(rows: MatrixInput): Float64Array[] {
    assertFitted(this.#categories, 'OneHotEncoder');
    const matrix = toFloatRows(rows, 'OneHotEncoder.transform', this.#categories.length);
    return matrix.map((row, index) => {
      const out = new Float64Array(this.#width);
      this.#encode(row, index, out, 0);
      return out;
    });
  }

  fitTransform(rows: MatrixInput): Float64Array[] {
    return this.fit(rows).transform(rows);
  }

  transformRow(row: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.#width);
    this.#encode(row, 0, out, 0);
    return out;
  }

  transformRowInto(row: ArrayLike<number>, out: Float64Array, offset: number): number {
    this.#encode(row, 0, out, offset);
    return this.#width;
  }

  featureNamesOut(inputNames: readonly string[]): string[] {
    const categories = this.#categories;
    assertFitted(categories, 'OneHotEncoder');
    assertWidth(inputNames, categories.length, 'OneHotEncoder.featureNamesOut');
    return categories.flatMap((list, j) =>
      list.map((category) => `${inputNames[j]}=${formatCategory(category)}`),
    );
  }

  toJSON(): OneHotEncoderJSON {
    return {
      kind: this.kind,
      formatVersion: 1,
      handleUnknown: this.handleUnknown,
      categories: this.categories.map((list) =>
        list.map((value) => (Number.isNaN(value) ? null : value)),
      ),
    };
  }

  /** Rebuilds a fitted encoder from {@link OneHotEncoder.toJSON}'s output (object or string). */
  static load(json: unknown): OneHotEncoder {
    const state = readState<OneHotEncoderJSON>(json, 'one-hot-encoder', 1);
    check(
      Array.isArray(state.categories) &&
        state.categories.length > 0 &&
        state.categories.every(
          (list) =>
            Array.isArray(list) &&
            list.length > 0 &&
            list.every(
              (value) => value === null || (typeof value === 'number' && Number.isFinite(value)),
            ),
        ),
      state.kind,
      'categories must be a non-empty list of non-empty lists of numbers (or null)',
    );
    const encoder = new OneHotEncoder({ handleUnknown: state.handleUnknown });
    encoder.#setCategories(
      state.categories.map((list) => list.map((value) => value ?? Number.NaN)),
    );
    return encoder;
  }

  #setCategories(categories: number[][]): void {
    this.#categories = categories;
    this.#lookup = categories.map((list) => new Map(list.map((value, index) => [value, index])));
    this.#nanIndex = categories.map((list) => list.findIndex((value) => Number.isNaN(value)));
    this.#offsets = [];
    let offset = 0;
    for (const list of categories) {
      this.#offsets.push(offset);
      offset += list.length;
    }
    this.#width = offset;
  }

  /** Writes row's indicator columns (every one of them, 0 or 1) into `out` from `offset`. */
  #encode(row: ArrayLike<number>, rowIndex: number, out: Float64Array, offset: number): void {
    const categories = this.#categories;
    assertFitted(categories, 'OneHotEncoder');
    assertWidth(row, categories.length, 'OneHotEncoder');
    const offsets = this.#offsets;
    out.fill(0, offset, offset + this.#width);
    for (let j = 0; j < categories.length; j++) {
      const index = this.#indexOf(j, row[j]!, rowIndex);
      if (index >= 0) out[offset + offsets[j]! + index] = 1;
    }
  }

  /** The category index of `value` in column j; −1 for an unknown one it may ignore. */
  #indexOf(j: number, value: number, rowIndex: number): number {
    const index = Number.isNaN(value) ? this.#nanIndex[j]! : (this.#lookup[j]!.get(value) ?? -1);
    if (index < 0 && this.handleUnknown === 'error') {
      throw new PreprocessingError({
        code: 'INVALID_INPUT',
        message: `OneHotEncoder: row ${rowIndex} column ${j}: unknown category ${formatCategory(value)} (known: ${this.#categories![j]!.map(formatCategory).join(', ')})`,
      });
    }
    return index;
  }
}

function formatCategory(value: number): string {
  return Number.isNaN(value) ? 'nan' : String(value);
}
