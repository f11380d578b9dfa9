import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { DataError, type DataIssue } from './errors.js';
import { invalidData } from './internal/issues.js';
import { readColumns } from './internal/read-columns.js';
import { readPaths, readSite } from './internal/read-options.js';
import { isMissingToken } from './internal/values.js';
import type { DatasetSummary } from './parse-dataset.js';
import { readHeader } from './parse-dataset.js';
import {
  COLUMN_SPECS,
  FEATURE_COLUMNS,
  SITES,
  type Site,
  UCI_COLUMNS,
  type UciColumn,
} from './schema.js';
import { csvFileName, SITE_FILES } from './sites.js';

/** Options for {@link streamDataset}. */
export interface StreamDatasetOptions {
  /** One file or several; their rows are concatenated in order. */
  paths: string | readonly string[];
  /** Site of files whose name does not tell. Default `'cleveland'`. */
  site?: Site;
}

/** A dataset as columns: what {@link streamDataset} returns. */
export interface ColumnDataset {
  rows: number;
  /** The 14 UCI columns, one Float64Array each, `NaN` where a value is missing. */
  columns: Record<UciColumn, Float64Array>;
  /** 1 where `num > 0`, one byte per row. */
  target: Uint8Array;
  /** As `loadDataset`'s (files' sha256 over their bytes; sites from the file names). */
  summary: DatasetSummary;
}

const COLUMN_NAMES: ReadonlySet<string> = new Set(UCI_COLUMNS);
const COLUMNS = UCI_COLUMNS.map((name) => ({ ...COLUMN_SPECS[name] }));

function siteOf(path: string): Site | undefined {
  const name = basename(path);
  return SITES.find((site) => SITE_FILES[site].fileName === name || csvFileName(site) === name);
}

/** Reads one file's columns; `INVALID_DATA` (every problem, line and column) or `EMPTY_FILE`. */
async function readFile(path: string) {
  const result = await readColumns(path, {
    file: path,
    isHeader: (cells) => cells.some((cell) => COLUMN_NAMES.has(cell.toLowerCase())),
    header: (cells, line, issues: DataIssue[]) => {
      const order = readHeader(cells, path, line, issues);
      return order && Int32Array.from(order, (name) => UCI_COLUMNS.indexOf(name));
    },
    columns: COLUMNS,
    isMissing: isMissingToken,
    minusNineMissing: true,
  });
  if (result.issues.length > 0) throw invalidData(path, result.issues, result.stopped);
  if (result.rows === 0)
    throw new DataError({ code: 'EMPTY_FILE', message: `${path}: no data rows`, source: path });
  return result;
}

/**
 * `loadDataset` for files too large to hold as text or as row objects: streams UCI Heart Disease
 * files (headerless `processed.*.data` or header CSV, any column order) into one Float64Array
 * per column (`NaN` for missing) and a target byte array. Every value is checked as it is read,
 * with `parseDataset`'s messages naming line, column and value; any problem fails the call with
 * one `DataError` (`INVALID_DATA`) and nothing partial. A million rows take ~120 MB as columns.
 *
 * @example
 * ```ts
 * const { rows, columns, target } = await streamDataset({ paths: 'data/raw/big.data' });
 * const features = createHeartPreprocessor().fitTransformColumns(columns); // @heart/preprocessing
 * ```
 */
export async function streamDataset(options: StreamDatasetOptions): Promise<ColumnDataset> {
  const paths = readPaths(options, 'streamDataset');
  readSite(options?.site, 'streamDataset');
  const parts: ({ path: string; site: Site } & Awaited<ReturnType<typeof readFile>>)[] = [];
  for (const path of paths) {
    parts.push({
      path,
      site: siteOf(path) ?? options.site ?? 'cleveland',
      ...(await readFile(path)),
    });
  }
  const rows = parts.reduce((sum, part) => sum + part.rows, 0);
  const columns = {} as Record<UciColumn, Float64Array>;
  UCI_COLUMNS.forEach((name, c) => {
    if (parts.length === 1) columns[name] = parts[0]!.columns[c]!;
    else {
      const joined = new Float64Array(rows);
      let offset = 0;
      for (const part of parts) {
        joined.set(part.columns[c]!, offset);
        offset += part.rows;
      }
      columns[name] = joined;
    }
  });
  const target = Uint8Array.from(columns.num, (num) => (num > 0 ? 1 : 0));
  const files = parts.map((part) => ({
    file: part.path,
    site: part.site,
    rows: part.rows,
    sha256: part.sha256,
  }));
  return { rows, columns, target, summary: summariseColumns(columns, target, files) };
}

function summariseColumns(
  columns: Record<UciColumn, Float64Array>,
  target: Uint8Array,
  files: DatasetSummary['files'],
): DatasetSummary {
  const rows = target.length;
  let positives = 0;
  for (let i = 0; i < rows; i++) positives += target[i]!;
  const missing = Object.fromEntries(
    FEATURE_COLUMNS.map((name) => [
      name,
      columns[name].reduce((count, value) => count + (Number.isNaN(value) ? 1 : 0), 0),
    ]),
  ) as DatasetSummary['missing'];
  const sites: DatasetSummary['sites'] = {};
  for (const file of files) sites[file.site] = (sites[file.site] ?? 0) + file.rows;
  const sha256 =
    files.length === 1
      ? files[0]!.sha256
      : createHash('sha256')
          .update(files.map((file) => file.sha256).join('\n'))
          .digest('hex');
  return {
    rows,
    positives,
    negatives: rows - positives,
    positiveRate: positives / rows,
    missing,
    sites,
    sha256,
    files,
  };
}
