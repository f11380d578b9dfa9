/**
 * Rows as one row-major block: row i is `data[i * columns … (i + 1) * columns)`. What
 * `ColumnPipeline.transformColumns` returns, and what `@heart/models` fits on: a million rows cost
 * no JS object each.
 */
export interface DenseMatrix {
  data: Float64Array;
  rows: number;
  columns: number;
}

/** Input columns by name, one array each (`NaN` or `null` for missing), all of one length. */
export type ColumnInput = Readonly<Record<string, ArrayLike<number | null>>>;
