import { type Answer, errorAnswer } from './answers.js';
import { fromWire, type ReplayRun, samePoint } from './replay-run.js';

/**
 * How the server's store keeps metric points: `sql` keeps one copy of an identical point (a
 * retried `log-batch` is harmless), `file` appends every point it is sent, as MLflow's file store
 * does (a retried `log-batch` leaves each of its points twice).
 */
export type MetricStore = 'sql' | 'file';

/**
 * `runs/log-batch` into a replay run, refused as MLflow 2.17.2's SQL store refuses it (limits,
 * duplicate or changed params, a metric without timestamp) with the recorded messages; params,
 * then metrics, then tags are stored, in that order (as both of MLflow's stores do).
 */
export function logReplayBatch(
  run: ReplayRun,
  body: Record<string, unknown>,
  store: MetricStore = 'sql',
): Answer {
  const metrics = (body.metrics ?? []) as Record<string, unknown>[];
  const params = (body.params ?? []) as { key: string; value: string }[];
  const tags = (body.tags ?? []) as { key: string; value: string }[];
  const refused = refuseBatch(run, metrics, params, tags, body.run_id);
  if (refused) return refused;
  for (const param of params)
    run.params.set(param.key, Array.from(String(param.value)).slice(0, 6000).join(''));
  for (const metric of metrics) {
    if (metric.timestamp === undefined) {
      return errorAnswer(
        400,
        'INVALID_PARAMETER_VALUE',
        "Missing value for required parameter 'timestamp'. See the API docs for more information about request parameters.",
      );
    }
    const point = {
      key: String(metric.key),
      value: fromWire(metric.value),
      timestamp: Number(metric.timestamp),
      step: Number(metric.step ?? 0),
    };
    // SQL stores keep one copy of an identical point; the file store appends whatever comes.
    if (store === 'file' || !run.metrics.some((known) => samePoint(known, point)))
      run.metrics.push(point);
  }
  for (const tag of tags) {
    run.tags.set(tag.key, String(tag.value));
    if (tag.key === 'mlflow.runName') run.info.run_name = tag.value;
  }
  return { json: {} };
}

/** The recorded error of a batch MLflow refuses before storing anything: over a limit, duplicate or changed params. */
function refuseBatch(
  run: ReplayRun,
  metrics: readonly Record<string, unknown>[],
  params: readonly { key: string; value: string }[],
  tags: readonly unknown[],
  runId: unknown,
): Answer | undefined {
  const limit = (what: string, max: number, got: number) =>
    errorAnswer(
      400,
      'INVALID_PARAMETER_VALUE',
      `A batch logging request can contain at most ${max} ${what}. Got ${got} ${what}. Please split up ${what} across multiple requests and try again.`,
    );
  if (metrics.length > 1000) return limit('metrics', 1000, metrics.length);
  if (params.length > 100) return limit('params', 100, params.length);
  if (tags.length > 100) return limit('tags', 100, tags.length);
  const total = metrics.length + params.length + tags.length;
  if (total > 1000) return limit('metrics, params, and tags', 1000, total);
  const long = [
    ...params.map((param) => ['Param', param.key] as const),
    ...(tags as { key: string }[]).map((tag) => ['Tag', tag.key] as const),
    ...metrics.map((metric) => ['Metric', String(metric.key)] as const),
  ].find(([, key]) => Array.from(key).length > 250);
  if (long) return keyTooLong(long[0], long[1]);
  const keys = params.map((param) => param.key);
  const duplicates = [...new Set(keys.filter((key, i) => keys.indexOf(key) !== i))];
  if (duplicates.length > 0) {
    return errorAnswer(
      400,
      'INVALID_PARAMETER_VALUE',
      `Duplicate parameter keys have been submitted: [${duplicates.map((key) => `'${key}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`,
    );
  }
  for (const param of params) {
    const old = run.params.get(param.key);
    const value = Array.from(String(param.value)).slice(0, 6000).join('');
    if (old !== undefined && old !== value) {
      return errorAnswer(
        400,
        'INVALID_PARAMETER_VALUE',
        `Changing param values is not allowed. Params were already logged='[{'key': '${param.key}', 'old_value': '${old}', 'new_value': '${value}'}]' for run ID='${runId}'.`,
      );
    }
  }
  return undefined;
}

/** MLflow's answer to a key over 250 characters (recorded seq 87 for a param). */
export function keyTooLong(kind: string, key: string): Answer {
  return errorAnswer(
    400,
    'INVALID_PARAMETER_VALUE',
    `${kind} key '${key}' had length ${Array.from(key).length}, which exceeded length limit of 250`,
  );
}
