import { DataError, type DataIssue } from './errors.js';
import { invalidData } from './internal/issues.js';
import { readColumns } from './internal/read-columns.js';
import type { ValueDomain } from './internal/values.js';

/** One column of a generic CSV: its header name and what its values may be. */
export interface CsvColumn extends ValueDomain {
  name: string;
}

/** Options for {@link streamCsv}. */
export interface StreamCsvOptions {
  path: string;
  /** The columns to read (others in the file are skipped), each checked against its domain. */
  schema: readonly CsvColumn[];
  /** Tokens that mean missing. Default `['', '?', 'NA', 'NaN', 'nan']`. */
  missing?: readonly string[];
}

/** What {@link streamCsv} read. */
export interface CsvColumns {
  rows: number;
  /** One Float64Array per schema column, `NaN` where a value is missing. */
  columns: Record<string, Float64Array>;
  summary: { file: string; rows: number; sha256: string; missing: Record<string, number> };
}

function assertSchema(schema: unknown): asserts schema is readonly CsvColumn[] {
  const names = new Set<string>();
  const ok =
    Array.isArray(schema) &&
    schema.length > 0 &&
    schema.every((column: Partial<CsvColumn>) => {
      const fine =
        typeof column?.name === 'string' &&
        !names.has(column.name) &&
        (column.kind === 'numeric' ||
          (column.kind === 'categorical' && Array.isArray(column.values))) &&
        typeof column.nullable === 'boolean';
      names.add(String(column?.name));
      return fine;
    });
  if (!ok) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message:
        'streamCsv: schema must be a non-empty list of { name (unique), kind: numeric | categorical (with values), nullable }',
    });
  }
}

/**
 * Streams a header CSV of any columns into one Float64Array per schema column (`NaN` for
 * missing), without holding the text: every value is checked as it is read against its column's
 * domain (codes of a categorical column, `min`/`max` of a numeric one, `nullable`), with the
 * messages of `parseDataset` naming line, column and value; any problem fails the call with one
 * `DataError` (`INVALID_DATA`). The header must name every schema column, in any order.
 *
 * @example
 * ```ts
 * const { columns } = await streamCsv({
 *   path: 'measurements.csv',
 *   schema: [
 *     { name: 'age', kind: 'numeric', min: 0, max: 120, nullable: false },
 *     { name: 'smoker', kind: 'categorical', values: [0, 1], nullable: true },
 *   ],
 * });
 * ```
 */
export async function streamCsv(options: StreamCsvOptions): Promise<CsvColumns> {
  const { path, schema } = options;
  assertSchema(schema);
  const missing = new Set(options.missing ?? ['', '?', 'NA', 'NaN', 'nan']);
  const result = await readColumns(path, {
    file: path,
    isHeader: () => true,
    header: (cells, line, issues: DataIssue[]) => readCsvHeader(path, schema, cells, line, issues),
    columns: schema,
    isMissing: (token) => missing.has(token),
    minusNineMissing: false,
  });
  if (result.issues.length > 0) throw invalidData(path, result.issues, result.stopped);
  if (result.rows === 0)
    throw new DataError({ code: 'EMPTY_FILE', message: `${path}: no data rows`, source: path });
  const columns = Object.fromEntries(schema.map((column, c) => [column.name, result.columns[c]!]));
  const counts = Object.fromEntries(
    schema.map((column, c) => [
      column.name,
      result.columns[c]!.reduce((n, value) => n + (Number.isNaN(value) ? 1 : 0), 0),
    ]),
  );
  return {
    rows: result.rows,
    columns,
    summary: { file: path, rows: result.rows, sha256: result.sha256, missing: counts },
  };
}

function readCsvHeader(
  file: string,
  schema: readonly CsvColumn[],
  cells: string[],
  line: number,
  issues: DataIssue[],
): Int32Array | undefined {
  const before = issues.length;
  const seen = new Set<string>();
  for (const cell of cells) {
    if (seen.has(cell))
      issues.push({
        file,
        line,
        column: cell,
        value: cell,
        message: `column "${cell}" appears twice`,
      });
    seen.add(cell);
  }
  for (const column of schema) {
    if (!seen.has(column.name))
      issues.push({
        file,
        line,
        column: column.name,
        message: `header lacks column "${column.name}"`,
      });
  }
  if (issues.length > before) return undefined;
  return Int32Array.from(cells, (cell) => schema.findIndex((column) => column.name === cell));
}
