import { ownField } from '@heart/internal';
import type { ColumnGroup, RecordRow } from '../column-pipeline.js';
import { PreprocessingError } from '../errors.js';
import { describe, toNumber } from './matrix.js';

/** Which input columns each group reads, by name (record rows) and by position (array rows). */
export interface RowLayout {
  readonly groups: readonly ColumnGroup[];
  /** Every input column, in group order, without repeats: the order of array rows. */
  readonly inputColumns: readonly string[];
  /** For array rows: where each group's columns sit in `inputColumns`. */
  readonly positions: readonly (readonly number[])[];
}

/** The layout of `groups`: their input columns and, per group, each column's position. */
export function rowLayout(groups: readonly ColumnGroup[]): RowLayout {
  const inputColumns = [...new Set(groups.flatMap((group) => group.columns))];
  const positions = groups.map((group) =>
    group.columns.map((column) => inputColumns.indexOf(column)),
  );
  return { groups, inputColumns, positions };
}

/** Reads a non-empty array of rows, each into one Float64Array per group (NaN for missing). */
export function readRows(
  layout: RowLayout,
  rows: readonly (RecordRow | ArrayLike<unknown>)[],
  what: string,
): Float64Array[][] {
  if (!Array.isArray(rows)) {
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `${what}: expected an array of rows, got ${describe(rows)}`,
    });
  }
  if (rows.length === 0)
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `${what}: expected at least one row`,
    });
  return rows.map((row, index) => readRow(layout, row, index, what));
}

/**
 * Reads one row (record or array) into one Float64Array per group (NaN for missing): new arrays,
 * or `into`'s (one per group, each its group's width).
 */
export function readRow(
  layout: RowLayout,
  row: RecordRow | ArrayLike<unknown>,
  index: number,
  what: string,
  into?: Float64Array[],
): Float64Array[] {
  if (row === null || typeof row !== 'object') {
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `${what}: row ${index} is ${describe(row)}, expected a record or an array`,
    });
  }
  return Array.isArray(row) || ArrayBuffer.isView(row)
    ? readArrayRow(layout, row as ArrayLike<unknown>, index, what, into)
    : readRecordRow(layout, row as Readonly<Record<string, unknown>>, index, what, into);
}

// Plain loops below: this is the serving path (one row per request).

function readArrayRow(
  layout: RowLayout,
  values: ArrayLike<unknown>,
  index: number,
  what: string,
  into: Float64Array[] | undefined,
): Float64Array[] {
  const { groups, inputColumns } = layout;
  if (values.length !== inputColumns.length) {
    throw new PreprocessingError({
      code: 'SHAPE_MISMATCH',
      message: `${what}: row ${index} has ${values.length} values, expected ${inputColumns.length} (${inputColumns.join(', ')})`,
    });
  }
  const out = into ?? new Array<Float64Array>(groups.length);
  for (let g = 0; g < groups.length; g++) {
    const columns = groups[g]!.columns;
    const positions = layout.positions[g]!;
    const group = into ? into[g]! : new Float64Array(columns.length);
    for (let k = 0; k < columns.length; k++)
      group[k] = toNumber(values[positions[k]!], index, columns[k]!, what);
    out[g] = group;
  }
  return out;
}

function readRecordRow(
  layout: RowLayout,
  record: Readonly<Record<string, unknown>>,
  index: number,
  what: string,
  into: Float64Array[] | undefined,
): Float64Array[] {
  const groups = layout.groups;
  const out = into ?? new Array<Float64Array>(groups.length);
  for (let g = 0; g < groups.length; g++) {
    const columns = groups[g]!.columns;
    const group = into ? into[g]! : new Float64Array(columns.length);
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k]!;
      // A column named `constructor` is not what `{}` inherits (ownField).
      const value = ownField(record, column);
      if (value === undefined && !Object.hasOwn(record, column)) {
        throw new PreprocessingError({
          code: 'MISSING_COLUMN',
          message: `${what}: row ${index} has no column "${column}"`,
        });
      }
      group[k] = toNumber(value, index, column, what);
    }
    out[g] = group;
  }
  return out;
}
