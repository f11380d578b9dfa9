import type { MatrixInput } from './matrix-input.js';

/** What every transformer saves: its `kind`, the format version, then its fitted state. */
export interface TransformerJSON {
  kind: string;
  formatVersion: number;
}

/**
 * A fitted-or-not step that maps rows of numbers to rows of numbers, as a scikit-learn
 * transformer does. Missing values are `NaN` (or `null` on input).
 */
export interface Transformer {
  /** Stable name of the transformer type, written into its JSON. */
  readonly kind: string;
  /** Learns the transformer's state from `rows`; returns `this`. */
  fit(rows: MatrixInput): this;
  /** Transforms every row (validated: rectangular, numeric, fitted width). */
  transform(rows: MatrixInput): Float64Array[];
  /** `fit(rows)` then `transform(rows)`. */
  fitTransform(rows: MatrixInput): Float64Array[];
  /** Transforms one already-validated row (`NaN` for missing) — the fast path for serving. */
  transformRow(row: ArrayLike<number>): Float64Array;
  /**
   * Optional allocation-free form of `transformRow` (the built-in transformers have it;
   * `ColumnPipeline.transformRow` uses it): writes the transformed row into `out` from `offset`
   * and returns how many values it wrote (its output width). `row` may be `out` itself at
   * offset 0 when the step keeps the width; after an error, what `out` holds is unspecified.
   */
  transformRowInto?(row: ArrayLike<number>, out: Float64Array, offset: number): number;
  /**
   * Optional column form (the built-in transformers have it; `ColumnPipeline`'s column methods
   * use it, or fall back to rows): learns from one array per column, `NaN` for missing.
   */
  fitColumns?(columns: readonly Float64Array[]): this;
  /** Optional column form: one array per column in, one per output column out. */
  transformColumns?(columns: readonly Float64Array[], firstRow?: number): Float64Array[];
  /** Names of the output columns, given the names of the input columns. */
  featureNamesOut(inputNames: readonly string[]): string[];
  /** `{ kind, formatVersion, …state }`, plain JSON. */
  toJSON(): TransformerJSON;
}
