import { DataError } from '../errors.js';
import { SITES, type Site } from '../schema.js';

/**
 * `paths` as a list of file paths: one string, or a non-empty list of non-empty strings
 * (`INVALID_OPTION` naming the entry otherwise). `what` names the call.
 */
export function readPaths(options: unknown, what: string): string[] {
  if (options === null || typeof options !== 'object') {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `${what} needs a path, a list of paths or { paths }, got ${options === null ? 'null' : typeof options}`,
    });
  }
  const given = (options as { paths?: unknown }).paths;
  const paths: unknown[] = typeof given === 'string' ? [given] : Array.isArray(given) ? given : [];
  if (!Array.isArray(given) && typeof given !== 'string') {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `${what}: paths must be a file path or a list of file paths, got ${given === null ? 'null' : typeof given}`,
    });
  }
  if (paths.length === 0) {
    throw new DataError({ code: 'INVALID_OPTION', message: `${what} needs at least one path` });
  }
  paths.forEach((path, index) => {
    if (typeof path !== 'string' || path === '') {
      throw new DataError({
        code: 'INVALID_OPTION',
        message: `${what}: paths[${index}] must be a non-empty file path, got ${path === null ? 'null' : typeof path === 'string' ? 'an empty string' : typeof path}`,
      });
    }
  });
  return paths as string[];
}

/** `site` when given: one of {@link SITES} (`INVALID_OPTION` otherwise), else `undefined`. */
export function readSite(site: unknown, what: string): Site | undefined {
  if (site === undefined) return undefined;
  if (typeof site !== 'string' || !SITES.includes(site as Site)) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `${what}: unknown site ${typeof site === 'string' ? `"${site}"` : String(site)}; expected one of ${SITES.join(', ')}`,
    });
  }
  return site as Site;
}
