import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsFailure, writeFileAtomic } from '@heart/internal';
import type { DownloadedFile } from '../download-dataset.js';
import { DataError } from '../errors.js';
import { formatHeartCsv } from '../format-heart-csv.js';
import { parseDataset } from '../parse-dataset.js';
import type { HeartRow, Site } from '../schema.js';
import { csvFileName, SITE_FILES } from '../sites.js';

/** The record written beside a cached file: where it came from and what it held. */
interface CacheRecord {
  url: string;
  sha256: string;
  bytes: number;
  /** Rows found valid when the file was cached (absent in records of older versions). */
  rows?: number;
  fetchedAt: string;
}

/** Where one site's files sit in the cache folder. */
export interface CachePaths {
  /** The original bytes. */
  path: string;
  /** The same rows in header CSV form. */
  csvPath: string;
  /** The {@link CacheRecord}. */
  recordPath: string;
}

/** The cache paths of `site` under `cacheDir`. */
export function cachePaths(cacheDir: string, site: Site): CachePaths {
  const path = join(cacheDir, SITE_FILES[site].fileName);
  return { path, csvPath: join(cacheDir, csvFileName(site)), recordPath: `${path}.source.json` };
}

/**
 * The cached file of `site` when the cache can answer for it: its bytes have sha256 `expected`
 * or, with no checksum expected, were fetched from `display`. Rebuilds a missing CSV. Otherwise
 * `undefined` (fetch again).
 */
export async function readFromCache(
  site: Site,
  paths: CachePaths,
  expected: string | undefined,
  display: string,
): Promise<DownloadedFile | undefined> {
  const { path, csvPath } = paths;
  const cached = await readCache(path, paths.recordPath);
  if (!cached || !(expected ? cached.sha256 === expected : cached.record?.url === display)) {
    return undefined;
  }
  // The bytes were validated when they were cached (and their checksum still holds): parse
  // again only to rebuild a missing CSV or an unknown row count.
  // A record that is not these bytes' (a write cut between the bytes and the record, e.g. a full
  // disk) vouches for no CSV either: the CSV may be the previous download's, so it is rebuilt.
  const recordHolds = cached.record?.sha256 === cached.sha256;
  let rowCount = recordHolds ? cached.record!.rows : undefined;
  const csvStale = !recordHolds || !(await exists(csvPath));
  if (rowCount === undefined || csvStale) {
    const { rows } = parseDataset(cached.bytes, { file: path, site });
    if (csvStale) await writeChecked(csvPath, formatHeartCsv(rows));
    rowCount = rows.length;
  }
  return {
    site,
    url: cached.record?.url ?? display,
    path,
    csvPath,
    sha256: cached.sha256,
    bytes: cached.bytes.length,
    rows: rowCount,
    fromCache: true,
  };
}

/** Writes the bytes, their rows as CSV, then the record, each atomically. */
export async function writeToCache(
  paths: CachePaths,
  bytes: Uint8Array,
  rows: readonly HeartRow[],
  record: { url: string; sha256: string },
): Promise<void> {
  await writeChecked(paths.path, Buffer.from(bytes));
  await writeChecked(paths.csvPath, formatHeartCsv(rows));
  const full: CacheRecord = {
    url: record.url,
    sha256: record.sha256,
    bytes: bytes.length,
    rows: rows.length,
    fetchedAt: new Date().toISOString(),
  };
  await writeChecked(paths.recordPath, `${JSON.stringify(full, null, 2)}\n`);
}

/**
 * One atomic write (every byte checked, fsynced): a full disk, a read-only folder or missing
 * permissions become `WRITE_FAILED` naming the file and what to do, and leave nothing behind.
 */
async function writeChecked(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    const message = fsFailure(error, path, 'write the data cache file');
    if (!message) throw error;
    throw new DataError({ code: 'WRITE_FAILED', message, cause: error, source: path });
  }
}

/** The sha256 of `bytes`, in hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readCache(
  path: string,
  recordPath: string,
): Promise<{ bytes: Uint8Array; sha256: string; record: CacheRecord | undefined } | undefined> {
  const bytes = await readFile(path).catch(() => undefined);
  if (!bytes) return undefined;
  const record = await readFile(recordPath, 'utf8')
    .then((text) => JSON.parse(text) as CacheRecord)
    .catch(() => undefined);
  return { bytes, sha256: sha256Hex(bytes), record };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Removes the temporary files a killed download left in the cache (atomic writes' `.tmp-*`, older
 * than ten minutes, so a concurrent download's are left alone).
 */
export async function removeStaleTempFiles(cacheDir: string, now: number): Promise<void> {
  for (const name of await readdir(cacheDir).catch(() => [] as string[])) {
    if (!name.startsWith('.tmp-')) continue;
    const info = await stat(join(cacheDir, name)).catch(() => undefined);
    if (info?.isFile() && now - info.mtimeMs > 600_000)
      await rm(join(cacheDir, name), { force: true });
  }
}
