import { invalidParameter, MlflowError, notFound } from '../errors.js';
import { assertRequired, codePoints } from '../validation.js';
import type { ModelStage } from './registry-types.js';

/**
 * MLflow's model-registry checks, with MLflow 2.17.2's words (SPEC §8.4): the ones its Python
 * client makes before sending (alias names) and the ones its server makes (required fields,
 * version numbers, stages, tag keys). `status` 400 unless said otherwise.
 */

/** A version must read as an integer (Python's `int()`), else 400. */
export function assertVersionNumber(version: string): void {
  if (!/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(version))
    throw invalidParameter(`Model version must be an integer, got '${version}'`);
}

/** MLflow's alias rules: `^[\w-]*$`, at most 255 characters, not `latest`, not `v<digits>`. */
export function assertAliasName(alias: unknown): asserts alias is string {
  if (alias === undefined || alias === null || alias === '')
    throw invalidParameter('Registered model alias name cannot be empty.');
  if (typeof alias !== 'string' || !/^[\p{L}\p{N}_-]*$/u.test(alias)) {
    throw invalidParameter(
      `Invalid alias name: '${String(alias)}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    );
  }
  const length = codePoints(alias);
  if (length > 255) {
    throw invalidParameter(
      `Registered model alias name '${Array.from(alias).slice(0, 250).join('')}' had length ${length}, which exceeded length limit of 255`,
    );
  }
  if (alias.toLowerCase() === 'latest')
    throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
  if (/^[vV]\p{Nd}+$/u.test(alias))
    throw invalidParameter(`Version alias name '${alias}' is reserved.`);
}

/** The Python client's name check before an alias call. */
export function assertModelName(name: unknown): asserts name is string {
  if (name === undefined || name === null || name === '')
    throw invalidParameter('Registered model name cannot be empty.');
  if (typeof name !== 'string') throw invalidParameter('Registered model name must be a string.');
}

/** The stages, in MLflow's order. */
export const STAGES: readonly ModelStage[] = ['None', 'Staging', 'Production', 'Archived'];

/** A stage name in any case as MLflow spells it (`production` → `Production`); else 400. */
export function canonicalStage(stage: string): ModelStage {
  const found = STAGES.find((known) => known.toLowerCase() === String(stage).toLowerCase());
  if (!found) {
    throw invalidParameter(
      `Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`,
    );
  }
  return found;
}

const KEY_CHARACTERS = /^[/\p{L}\p{N}_.\- :]*$/u;

/**
 * A registry tag as MLflow's server checks it: key characters and path rules, key ≤ 250 and
 * value ≤ 5000 characters. `entity` names it in the length messages.
 */
export function validateRegistryTag(
  entity: 'Registered model' | 'Model version',
  key: unknown,
  value: unknown,
): void {
  validateTagKey(key);
  if (typeof value !== 'string') throw invalidParameter('Tag value cannot be None');
  for (const [what, text, limit] of [
    ['key', key, 250],
    ['value', value, 5000],
  ] as const) {
    const length = codePoints(text);
    if (length > limit) {
      throw invalidParameter(
        `${entity} ${what} '${Array.from(text).slice(0, 250).join('')}' had length ${length}, which exceeded length limit of ${limit}`,
      );
    }
  }
}

/** A tag key: required, MLflow's characters, a path `normpath` leaves as it is. */
export function validateTagKey(key: unknown): asserts key is string {
  assertRequired(key, 'key');
  const supplied = `Invalid value "${key}" for parameter 'key' supplied:`;
  if (!KEY_CHARACTERS.test(key)) {
    throw invalidParameter(
      `${supplied} Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  const normal = posixNormpath(key);
  if (normal !== key || normal === '.' || normal.startsWith('..') || normal.startsWith('/')) {
    throw invalidParameter(
      `${supplied} Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normal}'`,
    );
  }
}

/** Python's `posixpath.normpath`. */
export function posixNormpath(path: string): string {
  if (path === '') return '.';
  const initial =
    path.startsWith('//') && !path.startsWith('///') ? 2 : path.startsWith('/') ? 1 : 0;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (initial === 0 && parts.length === 0) || parts.at(-1) === '..')
      parts.push(part);
    else if (parts.length > 0) parts.pop();
  }
  return `${'/'.repeat(initial)}${parts.join('/')}` || '.';
}

/** The largest page the server allows: 1000 models, 200000 versions (SPEC §8.2). */
export const PAGE_LIMITS = { registeredModels: 1000, modelVersions: 200_000 } as const;

/** Page sizes: a positive integer (the file store's words) up to `limit` (the server's words). */
export function assertPageSize(maxResults: unknown, limit: number): number {
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1) {
    throw invalidParameter(
      `Invalid value for max_results. It must be a positive integer, but got ${String(maxResults)}`,
    );
  }
  if (maxResults > limit) {
    throw invalidParameter(
      `Invalid value "${maxResults}" for parameter 'max_results' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters.`,
    );
  }
  return maxResults;
}

/** The file store's own name rule: the name is a folder, so no `/`, no `%` (and not `.`/`..`). */
export function assertFileStoreModelName(name: string): void {
  if (name.includes('/') || (process.platform === 'win32' && name.includes('\\'))) {
    throw invalidParameter(
      `Invalid name: '${name}'. Registered model name cannot contain path separator`,
    );
  }
  if (name.includes('%'))
    throw invalidParameter(
      `Invalid name: '${name}'. Registered model name cannot contain '%' character`,
    );
  if (name === '.' || name === '..' || name.includes('\0'))
    throw invalidParameter(`Invalid name: '${name}'. Registered model name cannot be a path`);
}

/** MLflow's 404 for a registered model. */
export function modelNotFound(name: string): MlflowError {
  return notFound(`Registered Model with name=${name} not found`);
}

/** MLflow's 404 for a model version (also for a deleted one). */
export function versionNotFound(name: string, version: string): MlflowError {
  return notFound(`Model Version (name=${name}, version=${version}) not found`);
}

/** MLflow's 400 for a taken name (the file store's wording; SQL servers append their error). */
export function modelExists(name: string): MlflowError {
  return new MlflowError({
    code: 'RESOURCE_ALREADY_EXISTS',
    status: 400,
    message: `Registered Model (name=${name}) already exists.`,
  });
}
