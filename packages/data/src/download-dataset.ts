import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Clock, createProxyFetch, writeFileAtomic } from '@heart/internal';
import type { DownloadFetch, DownloadRetryEvent } from './download-types.js';
import { DataError } from './errors.js';
import { formatHeartCsv } from './format-heart-csv.js';
import { fetchWithRetry, type RetryPolicy } from './internal/fetch-with-retry.js';
import { parseDataset } from './parse-dataset.js';
import { SITES, type Site } from './schema.js';
import { csvFileName, SITE_FILES, UCI_BASE_URL } from './sites.js';

/** Options for {@link downloadDataset}. */
export interface DownloadDatasetOptions {
  /** Sites to fetch. Default `['cleveland']`. */
  sites?: readonly Site[];
  /**
   * Where the files are: an `http(s):` or `file:` URL or a path, either of a folder holding
   * `processed.<site>.data` files or of one such file. Default: UCI's folder ({@link UCI_BASE_URL}). Relative paths resolve against `cwd`.
   */
  source?: string;
  /** Cache folder. Default `data/raw` under `cwd`. */
  cacheDir?: string;
  /** Folder that relative paths resolve against. Default `process.cwd()`. */
  cwd?: string;
  /** Ignore cached files and fetch again. Default `false`. */
  force?: boolean;
  /**
   * Refuse files whose sha256 differs from the official one (or from `expectedSha256`).
   * Default `true`; set `false` only for a deliberately different source.
   */
  verifyChecksum?: boolean;
  /** sha256 to expect per site instead of the official ones. */
  expectedSha256?: Partial<Record<Site, string>>;
  /** Time allowed for one attempt, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  retries?: number;
  /** Time allowed for all attempts of one file, waits included, in ms. Default 120 000. */
  maxTotalMs?: number;
  /** First backoff wait, in ms (doubles each retry, plus jitter). Default 500. */
  backoffMs?: number;
  /**
   * `fetch` to use. Default: undici's `fetch` through an `EnvHttpProxyAgent`, which honours
   * `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (upper or lower case) from `env`.
   */
  fetch?: DownloadFetch;
  /** Environment to read the proxy variables from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Called before each retry wait. */
  onRetry?: (event: DownloadRetryEvent) => void;
  /** Wall clock, waits and timers of the retries and timeouts (tests pass a fake). Default the system's. */
  clock?: Clock;
}

/** One site's cached files. */
export interface DownloadedFile {
  site: Site;
  /** Where the bytes came from. */
  url: string;
  /** The original bytes, as served. */
  path: string;
  /** The same rows in header CSV form. */
  csvPath: string;
  sha256: string;
  bytes: number;
  rows: number;
  /** `true` when the cache answered and nothing was fetched. */
  fromCache: boolean;
}

/** What {@link downloadDataset} leaves on disk. */
export interface DownloadResult {
  cacheDir: string;
  files: DownloadedFile[];
}

interface CacheRecord {
  url: string;
  sha256: string;
  bytes: number;
  /** Rows found valid when the file was cached (absent in records of older versions). */
  rows?: number;
  fetchedAt: string;
}

const USER_AGENT = '@heart/data (+https://github.com/heart-ml/heart)';

/**
 * Fetches UCI Heart Disease files (Cleveland by default) into a cache folder, verifies their
 * sha256, validates every row, and writes the original bytes plus a header CSV atomically. A
 * cached file whose checksum still matches is reused without any network. Transient failures are
 * retried with backoff within a total time limit.
 *
 * @example
 * ```ts
 * const { files } = await downloadDataset({ cacheDir: 'data/raw' });
 * files[0].csvPath; // …/data/raw/heart_disease_raw.csv
 * ```
 */
export async function downloadDataset(
  options: DownloadDatasetOptions = {},
): Promise<DownloadResult> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const sites = options.sites ?? ['cleveland'];
  assertSites(sites);
  const cacheDir = resolve(cwd, options.cacheDir ?? join('data', 'raw'));
  const source = await resolveSource(options.source ?? UCI_BASE_URL, sites, cwd);
  const policy: RetryPolicy = {
    retries: nonNegative('retries', options.retries ?? 4),
    timeoutMs: positive('timeoutMs', options.timeoutMs ?? 30_000),
    maxTotalMs: positive('maxTotalMs', options.maxTotalMs ?? 120_000),
    backoffMs: nonNegative('backoffMs', options.backoffMs ?? 500),
  };
  await mkdir(cacheDir, { recursive: true });

  const proxied = options.fetch ? undefined : createProxyFetch(env);
  const fetchImpl: DownloadFetch = options.fetch ?? proxied!.fetch;

  try {
    const files: DownloadedFile[] = [];
    for (const site of sites) {
      const expected =
        options.verifyChecksum === false
          ? undefined
          : (options.expectedSha256?.[site] ?? SITE_FILES[site].sha256);
      files.push(
        await fetchSite(site, source.locate(site), cacheDir, expected, {
          force: options.force ?? false,
          policy,
          fetchImpl,
          onRetry: options.onRetry,
          clock: options.clock,
        }),
      );
    }
    return { cacheDir, files };
  } finally {
    await proxied?.close();
  }
}

async function fetchSite(
  site: Site,
  location: Location,
  cacheDir: string,
  expected: string | undefined,
  context: {
    force: boolean;
    policy: RetryPolicy;
    fetchImpl: DownloadFetch;
    onRetry?: (event: DownloadRetryEvent) => void;
    clock?: Clock;
  },
): Promise<DownloadedFile> {
  const fileName = SITE_FILES[site].fileName;
  const path = join(cacheDir, fileName);
  const csvPath = join(cacheDir, csvFileName(site));
  const recordPath = `${path}.source.json`;

  if (!context.force) {
    const cached = await readCache(path, recordPath);
    if (
      cached &&
      (expected ? cached.sha256 === expected : cached.record?.url === location.display)
    ) {
      // The bytes were validated when they were cached (and their checksum still holds): parse
      // again only to rebuild a missing CSV or an unknown row count.
      let rowCount = cached.record?.sha256 === cached.sha256 ? cached.record.rows : undefined;
      if (rowCount === undefined || !(await exists(csvPath))) {
        const { rows } = parseDataset(cached.bytes, { file: path, site });
        if (!(await exists(csvPath))) await writeFileAtomic(csvPath, formatHeartCsv(rows));
        rowCount = rows.length;
      }
      return {
        site,
        url: cached.record?.url ?? location.display,
        path,
        csvPath,
        sha256: cached.sha256,
        bytes: cached.bytes.length,
        rows: rowCount,
        fromCache: true,
      };
    }
  }

  const bytes =
    location.kind === 'url'
      ? await fetchWithRetry(location.url, {
          fetch: context.fetchImpl,
          policy: context.policy,
          headers: { 'user-agent': USER_AGENT },
          ...(context.onRetry ? { onRetry: context.onRetry } : {}),
          ...(context.clock ? { clock: context.clock } : {}),
        })
      : await readLocal(location.path);
  const sha256 = sha256Hex(bytes);
  if (expected && sha256 !== expected) {
    throw new DataError({
      code: 'CHECKSUM_MISMATCH',
      message: `${location.display}: sha256 is ${sha256}, expected ${expected} (the official ${fileName}). Nothing was written. Pass verifyChecksum: false (or expectedSha256) only if this source is deliberately different.`,
      source: location.display,
    });
  }
  // Validate before anything lands in the cache: a bad file is refused whole.
  const { rows } = parseDataset(bytes, { file: location.display, site });
  await writeFileAtomic(path, Buffer.from(bytes));
  await writeFileAtomic(csvPath, formatHeartCsv(rows));
  const record: CacheRecord = {
    url: location.display,
    sha256,
    bytes: bytes.length,
    rows: rows.length,
    fetchedAt: new Date().toISOString(),
  };
  await writeFileAtomic(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  return {
    site,
    url: location.display,
    path,
    csvPath,
    sha256,
    bytes: bytes.length,
    rows: rows.length,
    fromCache: false,
  };
}

type Location =
  | { kind: 'url'; url: string; display: string }
  | { kind: 'file'; path: string; display: string };

interface ResolvedSource {
  locate(site: Site): Location;
}

async function resolveSource(
  raw: string,
  sites: readonly Site[],
  cwd: string,
): Promise<ResolvedSource> {
  let single: Site | undefined;
  if (/^https?:\/\//i.test(raw)) {
    const url = new URL(raw);
    single = siteOfFileName(basename(url.pathname));
    if (single) {
      assertSingle(raw, single, sites);
      return { locate: () => ({ kind: 'url', url: url.href, display: url.href }) };
    }
    const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
    return {
      locate: (site) => {
        const href = new URL(SITE_FILES[site].fileName, base).href;
        return { kind: 'url', url: href, display: href };
      },
    };
  }
  let path: string;
  if (/^file:/i.test(raw)) {
    try {
      path = fileURLToPath(raw);
    } catch (error) {
      throw new DataError({
        code: 'INVALID_OPTION',
        message: `source "${raw}" is not a valid file: URL`,
        cause: error,
      });
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `source "${raw}": only http:, https:, file: URLs and paths are supported`,
    });
  } else {
    path = resolve(cwd, raw);
  }
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    throw new DataError({
      code: 'FILE_NOT_FOUND',
      message: `source ${path} does not exist`,
      source: path,
    });
  }
  if (info.isDirectory()) {
    return {
      locate: (site) => {
        const file = join(path, SITE_FILES[site].fileName);
        return { kind: 'file', path: file, display: file };
      },
    };
  }
  single = siteOfFileName(basename(path));
  if (!single) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `source ${path} is a file but not a processed.<site>.data file; give its folder or a processed.<site>.data file`,
    });
  }
  assertSingle(path, single, sites);
  const file = path;
  return { locate: () => ({ kind: 'file', path: file, display: file }) };
}

function siteOfFileName(name: string): Site | undefined {
  return SITES.find((site) => SITE_FILES[site].fileName === name);
}

function assertSingle(source: string, site: Site, sites: readonly Site[]): void {
  if (sites.length !== 1 || sites[0] !== site) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `source ${source} holds only the ${site} file, but sites [${sites.join(', ')}] were asked for; give the folder instead`,
    });
  }
}

function assertSites(sites: readonly Site[]): void {
  if (!Array.isArray(sites) || sites.length === 0) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `sites must be a non-empty list of ${SITES.join(', ')}`,
    });
  }
  for (const site of sites) {
    if (!SITES.includes(site)) {
      throw new DataError({
        code: 'INVALID_OPTION',
        message: `unknown site "${String(site)}"; expected one of ${SITES.join(', ')}`,
      });
    }
  }
  if (new Set(sites).size !== sites.length) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `sites lists a site twice: ${sites.join(', ')}`,
    });
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `${name} must be a positive number, got ${value}`,
    });
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || (name === 'retries' && !Number.isInteger(value))) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `${name} must be a ${name === 'retries' ? 'whole number' : 'number'} of zero or more, got ${value}`,
    });
  }
  return value;
}

async function readLocal(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new DataError({
      code: 'FILE_NOT_FOUND',
      message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      cause: error,
      source: path,
    });
  }
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

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
