import type { Frame } from './scoring-frame.js';
import { scoringError } from './scoring-frame.js';

const PARSE_FAILED =
  'Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method.';

/** Splits CSV text into rows of fields (RFC 4180 quotes, `\n` or `\r\n`), skipping blank lines. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let touched = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
      continue;
    }
    if (char === '"') {
      quoted = true;
      touched = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
      touched = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      if (touched || field !== '') rows.push([...row, field]);
      row = [];
      field = '';
      touched = false;
    } else {
      field += char;
    }
  }
  if (quoted) throw scoringError(`${PARSE_FAILED} Error: 'EOF inside string'`);
  if (touched || field !== '') rows.push([...row, field]);
  return rows;
}

/**
 * A CSV body as MLflow's scoring server reads it (`pandas.read_csv`): the first line is the header
 * — a body without one loses its first row to it, and then misses the model's columns — an
 * empty field is a missing value, and the index column `DataFrame.to_csv()` writes first (an
 * unnamed column) is an extra column, dropped like any other. Throws MLflow's 400 for an empty
 * body or a row with more fields than the header.
 *
 * @example
 * csvFrame(',age\n0,63\n'); // { columns: ['Unnamed: 0', 'age'], rows: [['0', '63']] }
 */
export function csvFrame(text: string): Frame {
  const rows = csvRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = rows.shift();
  if (!header) throw scoringError(`${PARSE_FAILED} Error: 'No columns to parse from file'`);
  const columns = header.map((name, i) => (name === '' ? `Unnamed: ${i}` : name));
  const width = columns.length;
  rows.forEach((row, i) => {
    if (row.length > width) {
      throw scoringError(
        `${PARSE_FAILED} Error: 'Expected ${width} fields in line ${i + 2}, saw ${row.length}'`,
      );
    }
  });
  return {
    columns,
    rows: rows.map((row) => row.map((field) => (field === '' ? null : field))),
  };
}
