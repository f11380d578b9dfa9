import { DataError } from './errors.js';
import type { HeartRow } from './schema.js';
import { UCI_COLUMNS } from './schema.js';

const describe = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value).slice(0, 40);

/** `INVALID_DATA` for row `i`'s `column` (or the row itself), naming both. */
function invalidCell(i: number, column: string | undefined, value: unknown, wanted: string) {
  const where = `row ${i} (line ${i + 2} of the CSV)${column ? ` column ${column}` : ''}`;
  const message = `${where}: ${describe(value)} is not ${wanted}`;
  const issue = { file: '<input>', line: i + 2, ...(column ? { column } : {}), message };
  return new DataError({
    code: 'INVALID_DATA',
    message: `formatHeartCsv: ${message}`,
    issues: [{ ...issue, value: describe(value) }],
  });
}

/** The first row or cell that is not an object or a finite number or null, as `INVALID_DATA`. */
function badCell(rows: readonly HeartRow[]): DataError | undefined {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as unknown;
    if (row === null || typeof row !== 'object')
      return invalidCell(i, undefined, row, 'a row object');
    for (const column of UCI_COLUMNS) {
      const value = (row as Record<string, unknown>)[column];
      if (value !== null && !Number.isFinite(value))
        return invalidCell(i, column, value, 'a finite number or null');
    }
  }
  return undefined;
}

/**
 * Writes rows in the header CSV form (`age,sex,…,num`, LF line ends, missing as empty cells,
 * whole numbers without `.0`): the shape UCI serves as `data.csv` and the Python pipeline caches
 * as `data/raw/heart_disease_raw.csv`.
 *
 * @example
 * ```ts
 * const csv = formatHeartCsv(rows);
 * ```
 */
export function formatHeartCsv(rows: readonly HeartRow[]): string {
  if (!Array.isArray(rows)) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `formatHeartCsv: rows must be an array of rows, got ${rows === null ? 'null' : typeof rows}`,
    });
  }
  // Checked before anything is written: a missing cell used to come out as "undefined".
  const bad = badCell(rows);
  if (bad) throw bad;
  const lines = [UCI_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      UCI_COLUMNS.map((column) => (row[column] === null ? '' : String(row[column]))).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
