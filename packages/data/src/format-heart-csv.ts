import type { HeartRow } from './schema.js';
import { UCI_COLUMNS } from './schema.js';

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
  const lines = [UCI_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      UCI_COLUMNS.map((column) => (row[column] === null ? '' : String(row[column]))).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
