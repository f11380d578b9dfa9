import type { FeatureMatrix } from '../classifier.js';

/**
 * Rows in compressed sparse form: row i's entries are `rowStart[i]..rowStart[i+1]` of
 * (`column`, `value`), columns ascending.
 */
export interface SparseRows {
  rowStart: Int32Array;
  column: Int32Array;
  value: Float64Array;
}

/**
 * Reads the first `width` columns of `rows` into compressed sparse rows, dropping zeros, with a
 * column `width` of 1s appended to every row when `intercept` is set.
 */
export function toSparseRows(rows: FeatureMatrix, width: number, intercept: boolean): SparseRows {
  const n = rows.length;
  const rowStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    let count = intercept ? 1 : 0;
    for (let j = 0; j < width; j++) if (row[j] !== 0) count++;
    rowStart[i + 1] = rowStart[i]! + count;
  }
  const column = new Int32Array(rowStart[n]!);
  const value = new Float64Array(rowStart[n]!);
  for (let i = 0, e = 0; i < n; i++) {
    const row = rows[i]!;
    for (let j = 0; j < width; j++) {
      if (row[j] !== 0) {
        column[e] = j;
        value[e++] = row[j]!;
      }
    }
    if (intercept) {
      column[e] = width;
      value[e++] = 1;
    }
  }
  return { rowStart, column, value };
}
