import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cannotRead, DataError, type DataIssue } from './errors.js';
import { readPaths, readSite } from './internal/read-options.js';
import { type Dataset, parseDataset, summarise } from './parse-dataset.js';
import { SITES, type Site } from './schema.js';
import { csvFileName, SITE_FILES } from './sites.js';

/** Options for {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** One file or several; their rows are concatenated in order. */
  paths: string | readonly string[];
  /**
   * Site of files whose name does not tell (`processed.<site>.data` and `heart_disease_raw.csv`
   * do). Default `'cleveland'`.
   */
  site?: Site;
}

/**
 * Reads, parses and validates one or more UCI Heart Disease files (headerless `processed.*.data`
 * or header CSV) into typed rows and a summary. Any problem in any file fails the whole call with
 * one `DataError` listing every problem (file, line, column, value).
 *
 * @example
 * ```ts
 * const { rows, summary } = await loadDataset('data/raw/heart_disease_raw.csv');
 * console.log(summary.rows, summary.positives, summary.missing.ca); // 303 139 4
 * ```
 */
export async function loadDataset(
  source: string | readonly string[] | LoadDatasetOptions,
): Promise<Dataset> {
  const options: LoadDatasetOptions =
    typeof source === 'string' || Array.isArray(source)
      ? { paths: source as string | string[] }
      : (source as LoadDatasetOptions);
  const paths = readPaths(options, 'loadDataset');
  readSite(options.site, 'loadDataset');

  const rows: Dataset['rows'] = [];
  const files: Dataset['summary']['files'] = [];
  const issues: DataIssue[] = [];
  const failures: DataError[] = [];
  for (const path of paths) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw cannotRead(path, error);
    }
    try {
      const parsed = parseDataset(bytes, {
        file: path,
        site: siteOf(path) ?? options.site ?? 'cleveland',
      });
      rows.push(...parsed.rows);
      files.push(...parsed.summary.files);
    } catch (error) {
      if (!(error instanceof DataError) || paths.length === 1) throw error;
      failures.push(error);
      issues.push(...error.issues);
    }
  }
  if (failures.length > 0) {
    throw new DataError({
      code: failures.some((failure) => failure.code === 'INVALID_DATA')
        ? 'INVALID_DATA'
        : failures[0]!.code,
      message: failures.map((failure) => failure.message).join('\n'),
      issues,
      cause: failures[0],
    });
  }
  return { rows, summary: summarise(rows, files) };
}

function siteOf(path: string): Site | undefined {
  const name = basename(path);
  return SITES.find((site) => SITE_FILES[site].fileName === name || csvFileName(site) === name);
}
