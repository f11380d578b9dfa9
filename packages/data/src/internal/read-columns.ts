import { parse } from 'csv-parse/sync';
import type { DataIssue } from '../errors.js';
import { ColumnBuilder, countLines } from './column-builder.js';
import { forEachLine } from './line-reader.js';
import { isMinusNine, scanNumber } from './number-scan.js';
import { checkValue, type ValueDomain } from './values.js';

/** Issues kept before a read stops: a file that wrong is not read to its end. */
const MAX_ISSUES = 1000;

/** One column to read: its name and what its values may be. */
interface ColumnRead extends ValueDomain {
  name: string;
}

/** How {@link readColumns} reads a file. */
export interface ReadPlan {
  file: string;
  /**
   * The columns of the file's header once read, or — for a file without one — `undefined`, and
   * the field order is `columns`. Returns the field → column mapping (−1: ignored), or
   * `undefined` after recording what is wrong with the header.
   */
  header:
    | ((cells: string[], line: number, issues: DataIssue[]) => Int32Array | undefined)
    | undefined;
  /** Decides from the first non-empty line whether it is a header (only with `header`). */
  isHeader: (cells: string[]) => boolean;
  columns: readonly ColumnRead[];
  /** Is `token` a missing value (beyond the `-9` code, which `minusNineMissing` decides)? */
  isMissing: (token: string) => boolean;
  minusNineMissing: boolean;
}

/** What {@link readColumns} read: one Float64Array per column (NaN: missing). */
export interface ReadResult {
  rows: number;
  columns: Float64Array[];
  sha256: string;
  issues: DataIssue[];
  /** The read stopped at {@link MAX_ISSUES} problems. */
  stopped: boolean;
}

const isSpace = (code: number) => code === 32 || code === 9;

function splitCells(text: string): string[] {
  if (text.includes('"')) return ((parse(text, { trim: true }) as string[][])[0] ?? []).map(String);
  return text.split(',').map((cell) => cell.trim());
}

/** The state of one read: where each field goes, the columns so far, and the problems. */
interface Reader {
  plan: ReadPlan;
  order: Int32Array | undefined;
  builders: ColumnBuilder[];
  issues: DataIssue[];
  rows: number;
  started: boolean;
  quoteChunk: string | undefined;
  quoteAt: number;
}

function readField(
  reader: Reader,
  column: ColumnRead,
  text: string,
  range: [number, number],
  line: number,
) {
  let [a, b] = range;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  const value = scanNumber(text, a, b);
  let result: number | null | string;
  if (Number.isNaN(value)) {
    const token = text.slice(a, b);
    if (reader.plan.isMissing(token))
      result = column.nullable ? null : 'missing value in a required column';
    else result = 'not a number';
  } else if (reader.plan.minusNineMissing && isMinusNine(text, a, b)) {
    result = column.nullable ? null : 'missing value in a required column';
  } else result = checkValue(column, value);
  if (typeof result === 'string') {
    reader.issues.push({
      file: reader.plan.file,
      line,
      column: column.name,
      value: text.slice(a, b),
      message: result,
    });
    return Number.NaN;
  }
  return result ?? Number.NaN;
}

function readLine(reader: Reader, chunk: string, range: [number, number], line: number): void {
  const { plan, builders } = reader;
  const order = reader.order;
  const expected = order ? order.length : plan.columns.length;
  const [first, last] = range;
  // The next quote of this chunk, searched once per chunk (not once per line, to the chunk's end).
  if (reader.quoteChunk !== chunk || (reader.quoteAt >= 0 && reader.quoteAt < first)) {
    reader.quoteChunk = chunk;
    reader.quoteAt = chunk.indexOf('"', first);
  }
  if (reader.quoteAt >= 0 && reader.quoteAt < last) {
    // A quoted line: split by csv-parse, then read each cell as its own text.
    const text = chunk.slice(first, last);
    const cells = splitCells(text);
    if (cells.length !== expected) {
      fieldCount(reader, text, line, expected, cells.length);
      return;
    }
    cells.forEach((cell, field) => {
      const target = order ? order[field]! : field;
      if (target >= 0)
        builders[target]!.push(
          readField(reader, plan.columns[target]!, cell, [0, cell.length], line),
        );
    });
    reader.rows++;
    return;
  }
  let fields = 1;
  for (let at = chunk.indexOf(',', first); at >= 0 && at < last; at = chunk.indexOf(',', at + 1))
    fields++;
  if (fields !== expected) {
    fieldCount(reader, chunk.slice(first, last), line, expected, fields);
    return;
  }
  let start = first;
  for (let field = 0; field < expected; field++) {
    let end = field === expected - 1 ? last : chunk.indexOf(',', start);
    if (end < 0 || end > last) end = last;
    const target = order ? order[field]! : field;
    if (target >= 0)
      builders[target]!.push(readField(reader, plan.columns[target]!, chunk, [start, end], line));
    start = end + 1;
  }
  reader.rows++;
}

function fieldCount(reader: Reader, text: string, line: number, expected: number, found: number) {
  reader.issues.push({
    file: reader.plan.file,
    line,
    value: text,
    message: `expected ${expected} fields, found ${found}`,
  });
}

/**
 * Streams a CSV file into typed-array columns, checking every value against its column's domain
 * as it goes (the same messages, naming line and column, as `parseDataset`). Empty lines are
 * skipped. Stops reading after 1,000 problems.
 */
export async function readColumns(path: string, plan: ReadPlan): Promise<ReadResult> {
  let capacity: number;
  try {
    capacity = await countLines(path);
  } catch {
    capacity = 0; // forEachLine reports the unreadable file
  }
  const reader: Reader = {
    plan,
    order: undefined,
    builders: plan.columns.map(() => new ColumnBuilder(capacity)),
    issues: [],
    rows: 0,
    started: false,
    quoteChunk: undefined,
    quoteAt: -1,
  };
  const { sha256, stopped } = await forEachLine(path, (chunk, start, end, line) => {
    let a = start;
    while (a < end && isSpace(chunk.charCodeAt(a))) a++;
    if (a === end) return undefined;
    if (!reader.started) {
      reader.started = true;
      const cells = splitCells(chunk.slice(start, end));
      if (plan.header && plan.isHeader(cells)) {
        reader.order =
          plan.header(cells, line, reader.issues) ?? new Int32Array(cells.length).fill(-1);
        return reader.issues.length > 0 ? 'stop' : undefined;
      }
    }
    readLine(reader, chunk, [start, end], line);
    return reader.issues.length >= MAX_ISSUES ? 'stop' : undefined;
  });
  return {
    rows: reader.rows,
    columns: reader.builders.map((builder) => builder.finish()),
    sha256,
    issues: reader.issues,
    stopped,
  };
}
