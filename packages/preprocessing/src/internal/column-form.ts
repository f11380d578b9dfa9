import { ownValue } from '@heart/internal';
import type { ColumnGroup } from '../column-pipeline.js';
import type { ColumnInput, DenseMatrix } from '../dense-matrix.js';
import { PreprocessingError } from '../errors.js';
import type { Transformer } from '../transformer.js';
import { toColumns, toNumber } from './matrix.js';

/** Rows transformed per block: the intermediate arrays stay small whatever the row count. */
const BLOCK = 8192;

/**
 * The input columns a group reads, as Float64Arrays (`NaN` for missing): the caller's arrays
 * themselves when they are Float64Arrays (checked: no ±Infinity), copies otherwise.
 */
export function readColumns(groups: readonly ColumnGroup[], input: ColumnInput, what: string) {
  if (input === null || typeof input !== 'object') {
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `${what}: expected an object of columns`,
    });
  }
  let rows = -1;
  const cache = new Map<string, Float64Array>();
  const read = (name: string): Float64Array => {
    const cached = cache.get(name);
    if (cached) return cached;
    const values = ownValue(input, name) as ArrayLike<unknown> | null | undefined;
    if (values === undefined || values === null || typeof values.length !== 'number') {
      throw new PreprocessingError({
        code: 'MISSING_COLUMN',
        message: `${what}: no column "${name}"`,
      });
    }
    if (rows >= 0 && values.length !== rows) {
      throw new PreprocessingError({
        code: 'SHAPE_MISMATCH',
        message: `${what}: column "${name}" has ${values.length} values, the others ${rows}`,
      });
    }
    rows = values.length;
    const column = values instanceof Float64Array ? values : new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (
        column === values
          ? value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY
          : true
      )
        column[i] = toNumber(value, i, name, what);
    }
    cache.set(name, column);
    return column;
  };
  const columns = groups.map((group) => group.columns.map(read));
  if (rows <= 0)
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `${what}: expected at least one row`,
    });
  return { columns, rows };
}

function fitStep(step: Transformer, columns: Float64Array[]): void {
  if (step.fitColumns) step.fitColumns(columns);
  else step.fit(transpose(columns));
}

function transformStep(
  step: Transformer,
  columns: Float64Array[],
  firstRow: number,
): Float64Array[] {
  if (step.transformColumns) return step.transformColumns(columns, firstRow);
  return toColumns(step.transform(transpose(columns)));
}

/** Columns back to rows, for a transformer without the column form. */
function transpose(columns: readonly Float64Array[]): Float64Array[] {
  const rows = columns[0]?.length ?? 0;
  return Array.from({ length: rows }, (_, i) => Float64Array.from(columns, (column) => column[i]!));
}

/** Fits every group's steps on its columns, each step on the previous one's output. */
export function fitColumnGroups(groups: readonly ColumnGroup[], columns: Float64Array[][]): void {
  groups.forEach((group, g) => {
    let current = columns[g]!;
    group.steps.forEach((step, s) => {
      fitStep(step, current);
      if (s < group.steps.length - 1) current = transformStep(step, current, 0);
    });
  });
}

/**
 * Transforms the columns block by block into one row-major matrix. Its width is what the steps
 * write for the first block (no name is built for it); every later block must match it.
 */
export function transformColumnGroups(
  groups: readonly ColumnGroup[],
  columns: Float64Array[][],
  rows: number,
): DenseMatrix {
  let data: Float64Array | undefined;
  let width = 0;
  for (let first = 0; first < rows; first += BLOCK) {
    const last = Math.min(rows, first + BLOCK);
    const outputs = groups.map((group, g) => {
      let block = columns[g]!.map((column) => column.subarray(first, last));
      for (const step of group.steps) block = transformStep(step, block, first);
      return block;
    });
    const written = outputs.reduce((sum, block) => sum + block.length, 0);
    if (!data) {
      width = written;
      data = new Float64Array(rows * width);
    } else if (written !== width) {
      throw new PreprocessingError({
        code: 'SHAPE_MISMATCH',
        message: `ColumnPipeline.transformColumns: the steps wrote ${written} columns for rows ${first}–${last - 1}, ${width} for the first rows`,
      });
    }
    let offset = 0;
    for (const block of outputs) {
      block.forEach((column, k) => {
        for (let i = 0; i < column.length; i++)
          data![(first + i) * width + offset + k] = column[i]!;
      });
      offset += block.length;
    }
  }
  return { data: data ?? new Float64Array(0), rows, columns: width };
}
