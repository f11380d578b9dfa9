import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Clock, fsFailure } from '@heart/internal';
import { createProxyFetch } from '@heart/internal/proxy-fetch';
import type { DownloadFetch, DownloadRetryEvent } from './download-types.js';
import { cannotRead, DataError } from './errors.js';
import {
  cachePaths,
  readFromCache,
  removeStaleTempFiles,
  sha256Hex,
  writeToCache,
} from './internal/download-cache.js';
import { assertSites, readMaxBytes, readRetryPolicy } from './internal/download-options.js';
import { fetchWithRetry, type RetryPolicy } from './internal/fetch-with-retry.js';
import { type Location, resolveSource } from './internal/resolve-source.js';
import { parseDataset } from './parse-dataset.js';
import type { Site } from './schema.js';
import { SITE_FILES, UCI_BASE_URL } from './sites.js';

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
   * Largest file accepted, bytes, enforced while streaming and after decompression (a gzip bomb
   * stops at the limit too): past it the download fails with `TOO_LARGE`. Default 64 MiB.
   */
  maxBytes?: number;
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
  const policy = readRetryPolicy(options);
  const maxBytes = readMaxBytes(options);
  await mkdir(cacheDir, { recursive: true }).catch((error: unknown) => {
    const message = fsFailure(error, cacheDir, 'create the data cache folder');
    throw message ? new DataError({ code: 'WRITE_FAILED', message, cause: error }) : error;
  });
  await removeStaleTempFiles(cacheDir, Date.now());

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
          maxBytes,
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

/** How every file of one call is fetched. */
interface FetchContext {
  force: boolean;
  policy: RetryPolicy;
  maxBytes: number;
  fetchImpl: DownloadFetch;
  onRetry?: (event: DownloadRetryEvent) => void;
  clock?: Clock;
}

/** One site: from the cache when it can answer, else fetched, verified, validated and cached. */
async function fetchSite(
  site: Site,
  location: Location,
  cacheDir: string,
  expected: string | undefined,
  context: FetchContext,
): Promise<DownloadedFile> {
  const paths = cachePaths(cacheDir, site);
  if (!context.force) {
    const cached = await readFromCache(site, paths, expected, location.display);
    if (cached) return cached;
  }
  const bytes =
    location.kind === 'url'
      ? await fetchWithRetry(location.url, {
          display: location.display,
          fetch: context.fetchImpl,
          policy: context.policy,
          maxBytes: context.maxBytes,
          headers: { 'user-agent': USER_AGENT },
          ...(context.onRetry ? { onRetry: context.onRetry } : {}),
          ...(context.clock ? { clock: context.clock } : {}),
        })
      : await readLocal(location.path);
  const sha256 = sha256Hex(bytes);
  if (expected && sha256 !== expected) {
    throw new DataError({
      code: 'CHECKSUM_MISMATCH',
      message: `${location.display}: sha256 is ${sha256}, expected ${expected} (the official ${SITE_FILES[site].fileName}). Nothing was written. Pass verifyChecksum: false (or expectedSha256) only if this source is deliberately different.`,
      source: location.display,
    });
  }
  // Validate before anything lands in the cache: a bad file is refused whole.
  const { rows } = parseDataset(bytes, { file: location.display, site });
  await writeToCache(paths, bytes, rows, { url: location.display, sha256 });
  return {
    site,
    url: location.display,
    path: paths.path,
    csvPath: paths.csvPath,
    sha256,
    bytes: bytes.length,
    rows: rows.length,
    fromCache: false,
  };
}

async function readLocal(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
}
