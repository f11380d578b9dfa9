import { invalidParameter, type MlflowError } from './errors.js';
import type { LogBatchRequest } from './tracking-store.js';
import type { ExperimentTag, Metric, Param, RunTag } from './types.js';

/** MLflow's limits (SPEC §2.7, §3.4). */
export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentTagValueLength: 5000,
  experimentNameLength: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchEntities: 1000,
  batchBytes: 1_000_000,
} as const;

const KEY_CHARACTERS = /^[/\p{L}\p{N}_.\- :]*$/u;

/** The server's answer to an absent or empty required field. */
function missingValue(field: string): MlflowError {
  return invalidParameter(
    `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
  );
}

/** A required string field: absent or `''` is MLflow's "Missing value" 400. */
export function assertRequired(value: unknown, field: string): asserts value is string {
  if (value === undefined || value === null || value === '') throw missingValue(field);
  if (typeof value !== 'string')
    throw invalidParameter(`Invalid value ${JSON.stringify(value)} for parameter '${field}'`);
}

/** Code-point length, as MLflow counts. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** First `limit` code points of `text`. */
export function truncateCodePoints(text: string, limit: number): string {
  return codePoints(text) <= limit ? text : Array.from(text).slice(0, limit).join('');
}

/**
 * Checks a metric, param or tag key as MLflow does: letters, digits, `_ - . : /` and space; a
 * path that `posixpath.normpath` leaves unchanged (no empty, `.` or `..` segment, no leading `/`);
 * at most 250 characters.
 */
function validateKey(key: unknown, kind: 'metric' | 'param' | 'tag'): string {
  if (typeof key !== 'string' || key === '') {
    throw invalidParameter(
      `Invalid ${kind} name: ${JSON.stringify(key)}. Names must be non-empty strings.`,
    );
  }
  if (!KEY_CHARACTERS.test(key)) {
    throw invalidParameter(
      `Invalid value "${key}" for parameter 'name' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  if (
    key.startsWith('/') ||
    key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw invalidParameter(
      `Invalid ${kind} name: '${key}'. Names cannot start with '/', contain empty, '.' or '..' path segments, or end with '/'.`,
    );
  }
  const length = codePoints(key);
  if (length > LIMITS.keyLength) {
    throw invalidParameter(
      `${kind[0]!.toUpperCase()}${kind.slice(1)} key '${key}' had length ${length}, which exceeded length limit of ${LIMITS.keyLength}`,
    );
  }
  return key;
}

/** A metric: a numeric value (NaN and ±Infinity allowed, booleans not), integer timestamp ≥ 0 and step. */
function validateMetric(metric: Metric): Metric {
  validateKey(metric.key, 'metric');
  if (typeof metric.value !== 'number') {
    throw invalidParameter(
      `Got invalid value ${JSON.stringify(metric.value)} for metric '${metric.key}' (timestamp=${metric.timestamp}). Please specify value as a valid double (64-bit floating point)`,
    );
  }
  if (!Number.isSafeInteger(metric.timestamp) || metric.timestamp < 0) {
    throw invalidParameter(
      `Got invalid timestamp ${metric.timestamp} for metric '${metric.key}': an integer number of ms ≥ 0 is required`,
    );
  }
  if (!Number.isSafeInteger(metric.step)) {
    throw invalidParameter(
      `Got invalid step ${metric.step} for metric '${metric.key}': an integer is required`,
    );
  }
  return metric;
}

/** A param value as a string, truncated to MLflow's 6000 characters. */
function normaliseParam(
  key: string,
  value: unknown,
  limit: number = LIMITS.paramValueLength,
): Param {
  validateKey(key, 'param');
  return { key, value: truncateCodePoints(stringValue(value, 'param', key), limit) };
}

/** A run tag value as a string, truncated to MLflow's 8000 characters. */
export function normaliseTag(
  key: string,
  value: unknown,
  limit: number = LIMITS.tagValueLength,
): RunTag {
  validateKey(key, 'tag');
  return { key, value: truncateCodePoints(stringValue(value, 'tag', key), limit) };
}

function stringValue(value: unknown, kind: string, key: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === null) return 'None';
  throw invalidParameter(
    `${kind} '${key}': value must be a string, number or boolean, got ${typeof value}`,
  );
}

/** Refuses a batch that repeats a param key (MLflow answers 400 to that). */
function assertUniqueParams(params: readonly Param[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { key } of params) {
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  if (duplicates.size > 0) {
    throw invalidParameter(
      `Duplicate parameter keys have been submitted: [${[...duplicates].map((key) => `'${key}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`,
    );
  }
}

/** The error MLflow raises when a param is logged again with another value. */
export function changedParamError(runId: string, key: string, oldValue: string, newValue: string) {
  return invalidParameter(
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${oldValue}' for run ID='${runId}'. Attempted logging new value '${newValue}'.`,
  );
}

/** An experiment tag: a valid key and a string value of at most 5000 characters. */
export function normaliseExperimentTag(key: string, value: string): ExperimentTag {
  validateKey(key, 'tag');
  if (typeof value !== 'string' || Array.from(value).length > LIMITS.experimentTagValueLength) {
    throw invalidParameter(
      `Experiment tag '${key}': value must be a string of at most ${LIMITS.experimentTagValueLength} characters`,
    );
  }
  return { key, value };
}

const kind = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** The entries of a `{ key: value }` object (`logParams`, `logMetrics`, `setTags`); else `INVALID_PARAMETER_VALUE`. */
export function entriesOf<T>(value: Readonly<Record<string, T>>, what: string): [string, T][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalidParameter(`${what} must be an object of key → value, got ${kind(value)}`);
  return Object.entries(value);
}

/** `searchRuns`'s options: an object with a list of `experimentIds`; else `INVALID_PARAMETER_VALUE`. */
export function checkSearchRuns<T extends { experimentIds: readonly string[] }>(options: T): T {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.experimentIds)) {
    throw invalidParameter(
      `searchRuns needs { experimentIds: [...] } (the experiments to search), got ${options === null || typeof options !== 'object' ? kind(options) : `experimentIds ${kind(options.experimentIds)}`}`,
    );
  }
  return options;
}

/** `batch[part]`: absent, or a list of objects; else `INVALID_PARAMETER_VALUE` naming the entry. */
function listOf<T>(batch: Record<string, unknown>, part: string): T[] {
  const list = batch[part];
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw invalidParameter(`logBatch: ${part} must be a list, got ${kind(list)}`);
  list.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw invalidParameter(
        `logBatch: ${part}[${i}] must be an object with a key, got ${kind(item)}`,
      );
  });
  return list as T[];
}

/**
 * A batch checked whole (keys, values, duplicate params) before anything is sent: params and tags
 * as strings, metric steps defaulting to 0.
 */
export function normaliseBatch(batch: {
  metrics?: Metric[];
  params?: Param[];
  tags?: RunTag[];
}): Required<LogBatchRequest> {
  if (batch === null || typeof batch !== 'object' || Array.isArray(batch))
    throw invalidParameter(
      `logBatch: the batch must be an object of metrics, params and tags, got ${kind(batch)}`,
    );
  const given = batch as Record<string, unknown>;
  const params = listOf<Param>(given, 'params').map((param) =>
    normaliseParam(param.key, param.value),
  );
  assertUniqueParams(params);
  const tags = listOf<RunTag>(given, 'tags').map((tag) => normaliseTag(tag.key, tag.value));
  const metrics = listOf<Metric>(given, 'metrics').map((metric) =>
    validateMetric({ ...metric, step: metric.step ?? 0 }),
  );
  return { metrics, params, tags };
}
