import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUri } from '@heart/internal';
import { DataError } from '../errors.js';
import { SITES, type Site } from '../schema.js';
import { SITE_FILES } from '../sites.js';

/** Where one site's file is: a URL to fetch or a local path to read, and how to name it. */
export type Location =
  | { kind: 'url'; url: string; display: string }
  | { kind: 'file'; path: string; display: string };

/** A `source` option resolved: where each site's file is. */
interface ResolvedSource {
  locate(site: Site): Location;
}

/**
 * Resolves `source` (an `http(s):` or `file:` URL or a path, relative to `cwd`; a folder holding
 * `processed.<site>.data` files or one such file) into where each of `sites` is. `INVALID_OPTION`
 * for an unsupported URL or a single file that is not the one site asked for, `FILE_NOT_FOUND`
 * for a path that does not exist.
 */
export async function resolveSource(
  raw: string,
  sites: readonly Site[],
  cwd: string,
): Promise<ResolvedSource> {
  if (/^https?:\/\//i.test(raw)) {
    const url = new URL(raw);
    if (url.username || url.password) {
      // fetch refuses such a URL, and its error would repeat the password.
      throw new DataError({
        code: 'INVALID_OPTION',
        message: `source ${redactUri(url.href)}: credentials in the URL are not supported`,
      });
    }
    const single = siteOfFileName(basename(url.pathname));
    if (single) {
      assertSingle(redactUri(raw), single, sites);
      return { locate: () => ({ kind: 'url', url: url.href, display: redactUri(url.href) }) };
    }
    const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
    return {
      locate: (site) => {
        const href = new URL(SITE_FILES[site].fileName, base).href;
        return { kind: 'url', url: href, display: redactUri(href) };
      },
    };
  }
  return resolveLocalSource(localPath(raw, cwd), sites);
}

/** The local path a non-http `source` names: a `file:` URL or a path relative to `cwd`. */
function localPath(raw: string, cwd: string): string {
  if (/^file:/i.test(raw)) {
    try {
      return fileURLToPath(raw);
    } catch (error) {
      throw new DataError({
        code: 'INVALID_OPTION',
        message: `source "${redactUri(raw)}" is not a valid file: URL`,
        cause: error,
      });
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `source "${redactUri(raw)}": only http:, https:, file: URLs and paths are supported`,
    });
  }
  return resolve(cwd, raw);
}

async function resolveLocalSource(path: string, sites: readonly Site[]): Promise<ResolvedSource> {
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
  const single = siteOfFileName(basename(path));
  if (!single) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `source ${path} is a file but not a processed.<site>.data file; give its folder or a processed.<site>.data file`,
    });
  }
  assertSingle(path, single, sites);
  return { locate: () => ({ kind: 'file', path, display: path }) };
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
