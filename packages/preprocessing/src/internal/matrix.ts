import { PreprocessingError } from '../errors.js';

/**
 * Checks that `rows` is a non-empty rectangular matrix of numbers (or `null`/`NaN` for missing)
 * and copies it into `Float64Array` rows with `NaN` for missing.
 */
export function toFloatRows(rows: unknown, what: string, width?: number): Float64Array[] {
  if (!Array.isArray(rows)) {
    throw invalid(`${what}: expected an array of rows, got ${describe(rows)}`);
  }
  if (rows.length === 0) throw invalid(`${what}: expected at least one row`);
  const expected = width ?? lengthOf(rows[0], 0, what);
  const out = new Array<Float64Array>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const length = lengthOf(row, i, what);
    if (length !== expected) {
      throw new PreprocessingError({
        code: 'SHAPE_MISMATCH',
        message: `${what}: row ${i} has ${length} values, expected ${expected}`,
      });
    }
    const values = new Float64Array(expected);
    for (let j = 0; j < expected; j++) {
      values[j] = toNumber((row as ArrayLike<unknown>)[j], i, j, what);
    }
    out[i] = values;
  }
  return out;
}

/** One value: a number (`NaN` = missing) or `null`/`undefined` (missing). Infinity is refused. */
export function toNumber(
  value: unknown,
  row: number,
  column: number | string,
  what: string,
): number {
  if (value === null || value === undefined) return Number.NaN;
  if (typeof value !== 'number') {
    throw invalid(
      `${what}: row ${row} column ${formatColumn(column)}: expected a number or null, got ${describe(value)}`,
    );
  }
  if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) {
    throw invalid(
      `${what}: row ${row} column ${formatColumn(column)}: ${value} is not a finite number`,
    );
  }
  return value;
}

function lengthOf(row: unknown, index: number, what: string): number {
  if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
    throw invalid(`${what}: row ${index} is ${describe(row)}, expected an array of numbers`);
  }
  return (row as ArrayLike<unknown>).length;
}

function formatColumn(column: number | string): string {
  return typeof column === 'number' ? String(column) : `"${column}"`;
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function invalid(message: string): PreprocessingError {
  return new PreprocessingError({ code: 'INVALID_INPUT', message });
}

/** Throws `NOT_FITTED` unless `state` is set. */
export function assertFitted<T>(state: T | undefined, name: string): asserts state is T {
  if (state === undefined) {
    throw new PreprocessingError({
      code: 'NOT_FITTED',
      message: `${name} is not fitted: call fit() first`,
    });
  }
}

/** Throws `SHAPE_MISMATCH` unless `row` has `width` values. */
export function assertWidth(row: ArrayLike<unknown>, width: number, name: string): void {
  if (row.length !== width) {
    throw new PreprocessingError({
      code: 'SHAPE_MISMATCH',
      message: `${name}: got ${row.length} columns, fitted on ${width}`,
    });
  }
}

/** Rows (checked, rectangular) as one array per column. */
export function toColumns(rows: readonly Float64Array[]): Float64Array[] {
  const width = rows[0]!.length;
  return Array.from({ length: width }, (_, j) => Float64Array.from(rows, (row) => row[j]!));
}
