import { type Literal, last, literal, value } from './http/json-bytes.js';
import type { Patient } from './score-patient.js';
import type { Validators } from './validators.js';

/**
 * Rows read straight from a body, held by column: field `c` of row `i` at `values[c * stride + i]`
 * (`NaN` for null), `count` rows — no record per row until one is needed. `values` is a buffer
 * the next read reuses: a route scores the rows (or makes records of them) before it yields.
 */
export interface Columns {
  count: number;
  stride: number;
  values: Float64Array;
}

/** The buffer every read fills: a new `Float64Array` per request cost more than reading one row. */
let scratch = new Float64Array(1024);

/** Room for `rows` rows of the schema's fields (in the shared buffer, grown when too small). */
export function columnsFor(validators: Validators, rows: number): Columns {
  const size = rows * validators.names.length;
  if (size > scratch.length) scratch = new Float64Array(Math.max(size, 2 * scratch.length));
  return { count: 0, stride: rows, values: scratch };
}

/** The columns by field name (views, no copy): what `Pipeline.predictProbaColumns` takes. */
export function byName(columns: Columns, names: readonly string[]): Record<string, Float64Array> {
  const { count, stride, values } = columns;
  // No prototype: a field may be called `__proto__`.
  const named: Record<string, Float64Array> = Object.create(null);
  names.forEach((name, c) => {
    named[name] = values.subarray(c * stride, c * stride + count);
  });
  return named;
}

/** The rows as records (`null` for NaN), for the paths that score records. */
export function recordsOf(columns: Columns, validators: Validators): Patient[] {
  const { count, stride, values } = columns;
  const { names } = validators;
  const patients = new Array<Patient>(count);
  for (let i = 0; i < count; i++) {
    const patient = validators.blank();
    for (let c = 0; c < names.length; c++) {
      const value = values[c * stride + i]!;
      patient[names[c]!] = Number.isNaN(value) ? null : value;
    }
    patients[i] = patient;
  }
  return patients;
}

/** The fixed text of a body's rows: before each field's value, between two rows, after the last. */
export interface RowsText {
  fields: Literal[];
  between: Literal;
  close: Literal;
  /** The fewest bytes a row takes (one digit a value): bounds the rows a body can hold. */
  shortest: number;
}

/** {@link RowsText} of these literals. */
export function rowsText(fields: Literal[], between: Literal, close: Literal): RowsText {
  const shortest = fields.reduce((sum, field) => sum + field.length + 1, 0) + between.length;
  return { fields, between, close, shortest };
}

/**
 * Reads rows from `at` to the end of the body into the shared buffer: per row `fields[0]`, a
 * value, `fields[1]`, a value, …; `between` between two rows; `close` and nothing after the
 * last. There is room for every row a body this long can hold, up to the batch limit: one row
 * more and it is refused. The rows must fit the schema (`validators.columns`). Anything else:
 * undefined.
 */
export function readRows(
  b: Buffer,
  at: number,
  text: RowsText,
  validators: Validators,
): Columns | undefined {
  const { fields, between, close } = text;
  const limit = Math.min(validators.batchLimit, Math.ceil(b.length / text.shortest));
  const rows = columnsFor(validators, limit);
  const { stride, values } = rows;
  for (let count = 0; ; ) {
    if (at < 0 || count === stride) return;
    for (let c = 0; c < fields.length; c++) {
      at = value(b, literal(b, at, fields[c]!));
      if (at < 0) return;
      values[c * stride + count] = last.number;
    }
    rows.count = ++count;
    const next = literal(b, at, between);
    if (next < 0) break;
    at = next;
  }
  if (literal(b, at, close) !== b.length || !validators.columns?.(rows)) return;
  return rows;
}
