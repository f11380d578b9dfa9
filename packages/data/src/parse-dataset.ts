import { createHash } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { DataError, type DataIssue } from './errors.js';
import { invalidData } from './internal/issues.js';
import { readSite } from './internal/read-options.js';
import { readValue } from './internal/values.js';
import {
  COLUMN_SPECS,
  FEATURE_COLUMNS,
  type FeatureColumn,
  type HeartRow,
  type Site,
  UCI_COLUMNS,
  type UciColumn,
} from './schema.js';

/** What a dataset holds, for logging and for a first look. */
export interface DatasetSummary {
  /** Number of rows. */
  rows: number;
  /** Rows with `target = 1` (`num > 0`). */
  positives: number;
  /** Rows with `target = 0`. */
  negatives: number;
  /** `positives / rows`. */
  positiveRate: number;
  /** Missing values per feature column (after `0 → missing` for `trestbps` and `chol`). */
  missing: Record<FeatureColumn, number>;
  /** Rows per site. */
  sites: Partial<Record<Site, number>>;
  /** sha256 (hex) of the input bytes; for several files, of their checksums joined in order. */
  sha256: string;
  /** One entry per input file. */
  files: { file: string; site: Site; rows: number; sha256: string }[];
}

/** A parsed, validated dataset. */
export interface Dataset {
  rows: HeartRow[];
  summary: DatasetSummary;
}

/** Options for {@link parseDataset}. */
export interface ParseDatasetOptions {
  /** File name used in error messages. Default `'<input>'`. */
  file?: string;
  /** Site recorded on every row. Default `'cleveland'`. */
  site?: Site;
}

const COLUMN_NAMES: ReadonlySet<string> = new Set(UCI_COLUMNS);

/**
 * Parses and validates UCI Heart Disease text: the headerless `processed.*.data` form or the
 * header CSV form (`age,sex,…,num`). Numbers are read leniently (`63`, `63.0`, `.7`); `?`, empty
 * cells and `NaN` are missing; `trestbps = 0` and `chol = 0` are missing. Every row is checked
 * against the UCI value domains ({@link COLUMN_SPECS}); when anything is wrong it throws one
 * `DataError` (`INVALID_DATA`) listing every problem with its line, column and value, and returns
 * nothing partial.
 *
 * @example
 * ```ts
 * const { rows, summary } = parseDataset(text, { file: 'processed.cleveland.data' });
 * summary.rows; // 303
 * ```
 */
export function parseDataset(
  input: string | Uint8Array,
  options: ParseDatasetOptions = {},
): Dataset {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `parseDataset: input must be the file's text (a string) or bytes (a Uint8Array), got ${input === null ? 'null' : typeof input === 'object' ? (Object.getPrototypeOf(input)?.constructor?.name ?? 'an object') : typeof input}`,
    });
  }
  const { file = '<input>', site: givenSite } = options ?? {};
  if (typeof file !== 'string') {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `parseDataset: file must be a string (the name errors show), got ${typeof file}`,
    });
  }
  const site = readSite(givenSite, `parseDataset (${file})`) ?? 'cleveland';
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records; // `info: true` wraps each record; the typings do not model it
  } catch (error) {
    const line =
      error instanceof CsvError ? Number((error as CsvError & { lines?: number }).lines) : 0;
    throw new DataError({
      code: 'INVALID_DATA',
      message: `${file}:${line}: not valid CSV (${(error as Error).message})`,
      cause: error,
      issues: [{ file, line, message: (error as Error).message }],
      source: file,
    });
  }

  const issues: DataIssue[] = [];
  let order: readonly UciColumn[] = UCI_COLUMNS;
  let first = 0;
  const head = records[0];
  if (head?.record.some((cell) => COLUMN_NAMES.has(cell.toLowerCase()))) {
    first = 1;
    const headerOrder = readHeader(head.record, file, head.info.lines, issues);
    if (headerOrder) order = headerOrder;
  }
  if (records.length - first === 0) {
    throw new DataError({
      code: 'EMPTY_FILE',
      message: `${file}: no data rows`,
      source: file,
    });
  }

  const rows: HeartRow[] = [];
  if (issues.length === 0) {
    for (let index = first; index < records.length; index++) {
      const { record, info } = records[index]!;
      const row = readRow(record, order, { file, line: info.lines, site }, issues);
      if (row) rows.push(row);
    }
  }
  if (issues.length > 0) {
    throw invalidData(file, issues);
  }

  const summary = summarise(rows, [{ file, site, rows: rows.length, sha256 }]);
  return { rows, summary };
}

/** Checks a header row's column names; returns the column order, or `undefined` with `issues`. */
export function readHeader(
  cells: string[],
  file: string,
  line: number,
  issues: DataIssue[],
): readonly UciColumn[] | undefined {
  const seen = new Set<string>();
  for (const cell of cells) {
    const name = cell.toLowerCase();
    if (!COLUMN_NAMES.has(name)) {
      issues.push({ file, line, column: cell, value: cell, message: `unknown column "${cell}"` });
    } else if (seen.has(name)) {
      issues.push({
        file,
        line,
        column: cell,
        value: cell,
        message: `column "${cell}" appears twice`,
      });
    }
    seen.add(name);
  }
  for (const name of UCI_COLUMNS) {
    if (!seen.has(name))
      issues.push({ file, line, column: name, message: `header lacks column "${name}"` });
  }
  return issues.length === 0 ? (cells.map((cell) => cell.toLowerCase()) as UciColumn[]) : undefined;
}

function readRow(
  record: string[],
  order: readonly UciColumn[],
  where: { file: string; line: number; site: Site },
  issues: DataIssue[],
): HeartRow | undefined {
  const { file, line } = where;
  if (record.length !== order.length) {
    issues.push({
      file,
      line,
      value: record.join(','),
      message: `expected ${order.length} fields, found ${record.length}`,
    });
    return undefined;
  }
  const values: Partial<Record<UciColumn, number | null>> = {};
  let ok = true;
  for (let index = 0; index < order.length; index++) {
    const column = order[index]!;
    const token = record[index]!;
    const value = readValue(COLUMN_SPECS[column], token);
    if (typeof value === 'string') {
      issues.push({ file, line, column, value: token, message: value });
      ok = false;
    } else {
      values[column] = value;
    }
  }
  if (!ok) return undefined;
  const num = values.num as number;
  return {
    age: values.age as number,
    sex: values.sex as number,
    cp: values.cp as number,
    trestbps: values.trestbps ?? null,
    chol: values.chol ?? null,
    fbs: values.fbs ?? null,
    restecg: values.restecg ?? null,
    thalach: values.thalach ?? null,
    exang: values.exang ?? null,
    oldpeak: values.oldpeak ?? null,
    slope: values.slope ?? null,
    ca: values.ca ?? null,
    thal: values.thal ?? null,
    num,
    target: num > 0 ? 1 : 0,
    site: where.site,
  };
}

/** Builds the summary of rows gathered from one or more files. */
export function summarise(
  rows: readonly HeartRow[],
  files: DatasetSummary['files'],
): DatasetSummary {
  const missing = Object.fromEntries(FEATURE_COLUMNS.map((column) => [column, 0])) as Record<
    FeatureColumn,
    number
  >;
  const sites: Partial<Record<Site, number>> = {};
  let positives = 0;
  for (const row of rows) {
    positives += row.target;
    sites[row.site] = (sites[row.site] ?? 0) + 1;
    for (const column of FEATURE_COLUMNS) {
      if (row[column] === null) missing[column]++;
    }
  }
  const sha256 =
    files.length === 1
      ? files[0]!.sha256
      : createHash('sha256')
          .update(files.map((entry) => entry.sha256).join('\n'))
          .digest('hex');
  return {
    rows: rows.length,
    positives,
    negatives: rows.length - positives,
    positiveRate: rows.length === 0 ? 0 : positives / rows.length,
    missing,
    sites,
    sha256,
    files,
  };
}
