import { pathToFileURL } from 'node:url';
import { MlflowError } from '../errors.js';
import { parseYaml, toYaml } from '../internal/yaml.js';
import type { Experiment, LifecycleStage, Metric, RunInfo, RunStatus } from '../types.js';

/** MLflow's integer encoding of run status in `meta.yaml`. */
export const STATUS_CODES: Readonly<Record<RunStatus, number>> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};
const STATUS_NAMES = Object.fromEntries(
  Object.entries(STATUS_CODES).map(([name, code]) => [code, name]),
) as Record<number, RunStatus>;

/** What a reader concluded about one `meta.yaml`. */
export type MetaVerdict<T> =
  | { kind: 'ok'; value: T }
  /** MLflow skips this folder and lists the rest. */
  | { kind: 'skip'; reason: string }
  /** MLflow fails the whole listing (HTTP 500 in the UI). */
  | { kind: 'fatal'; reason: string };

function corrupt(file: string, reason: string): MlflowError {
  return new MlflowError({
    code: 'CORRUPT_STORE',
    message: `${file}: ${reason} (MLflow cannot read this store until it is fixed or removed)`,
    endpoint: file,
  });
}

/** Throws `CORRUPT_STORE` for a fatal verdict, returns the value or `undefined` (skip). */
export function unwrap<T>(verdict: MetaVerdict<T>, file: string): T | undefined {
  if (verdict.kind === 'fatal') throw corrupt(file, verdict.reason);
  return verdict.kind === 'ok' ? verdict.value : undefined;
}

function parseMapping(text: string | undefined): Record<string, unknown> | string {
  if (text === undefined) return 'missing';
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    return `not valid YAML (${(error as Error).message.split('\n')[0]})`;
  }
  if (value === null || value === undefined) return 'empty';
  if (typeof value !== 'object' || Array.isArray(value)) return 'not a YAML mapping';
  return value as Record<string, unknown>;
}

/**
 * Reads an experiment `meta.yaml` with MLflow 2.17's rules: missing → skipped; empty, unparsable,
 * or lacking `artifact_location`, `lifecycle_stage`, `name`, `experiment_id` → fatal; an id that
 * differs from the folder → skipped.
 */
export function readExperimentMeta(
  text: string | undefined,
  folderId: string,
): MetaVerdict<Omit<Experiment, 'tags'>> {
  const meta = parseMapping(text);
  if (meta === 'missing') return { kind: 'skip', reason: 'no meta.yaml' };
  if (typeof meta === 'string') return { kind: 'fatal', reason: `meta.yaml is ${meta}` };
  for (const key of ['artifact_location', 'lifecycle_stage', 'name', 'experiment_id']) {
    if (!(key in meta) || meta[key] === null)
      return { kind: 'fatal', reason: `meta.yaml lacks ${key}` };
  }
  const experimentId = String(meta.experiment_id);
  if (experimentId !== folderId) {
    return {
      kind: 'skip',
      reason: `experiment_id ${experimentId} differs from the folder name ${folderId}`,
    };
  }
  const stage = meta.lifecycle_stage;
  if (stage !== 'active' && stage !== 'deleted')
    return { kind: 'fatal', reason: `lifecycle_stage is ${String(stage)}` };
  return {
    kind: 'ok',
    value: {
      experimentId,
      name: String(meta.name),
      artifactLocation: String(meta.artifact_location),
      lifecycleStage: stage,
      ...(typeof meta.creation_time === 'number' ? { creationTime: meta.creation_time } : {}),
      ...(typeof meta.last_update_time === 'number'
        ? { lastUpdateTime: meta.last_update_time }
        : {}),
    },
  };
}

/** A run's `meta.yaml` as read, with its name from the tag when `run_name` is absent. */
export interface StoredRunInfo extends RunInfo {
  deletedTime?: number;
}

/**
 * Reads a run `meta.yaml` with MLflow 2.17's rules: missing → skipped; empty or unparsable,
 * lacking `run_uuid`, `experiment_id`, `user_id`, `start_time` or the `end_time` key, or with a
 * non-integer `status` → fatal; an `experiment_id` that differs from the parent folder → skipped;
 * a `run_uuid` that differs from the folder name → fatal. Defaults: status RUNNING, stage active.
 */
export function readRunMeta(
  text: string | undefined,
  folder: { runId: string; experimentId: string },
): MetaVerdict<StoredRunInfo> {
  const meta = parseMapping(text);
  if (meta === 'missing') return { kind: 'skip', reason: 'no meta.yaml' };
  if (typeof meta === 'string') return { kind: 'fatal', reason: `meta.yaml is ${meta}` };
  for (const key of ['run_uuid', 'experiment_id', 'user_id', 'start_time']) {
    if (meta[key] === undefined || meta[key] === null)
      return { kind: 'fatal', reason: `meta.yaml lacks ${key}` };
  }
  if (!('end_time' in meta)) return { kind: 'fatal', reason: 'meta.yaml lacks the end_time key' };
  const status = meta.status ?? STATUS_CODES.RUNNING;
  if (typeof status !== 'number' || !(status in STATUS_NAMES)) {
    return {
      kind: 'fatal',
      reason: `status ${JSON.stringify(status)} is not one of MLflow's integer codes`,
    };
  }
  if (typeof meta.start_time !== 'number')
    return { kind: 'fatal', reason: 'start_time is not an integer' };
  const experimentId = String(meta.experiment_id);
  if (experimentId !== folder.experimentId) {
    return {
      kind: 'skip',
      reason: `experiment_id ${experimentId} differs from the experiment folder ${folder.experimentId}`,
    };
  }
  const runId = String(meta.run_uuid);
  if (runId !== folder.runId) {
    return {
      kind: 'fatal',
      reason: `run_uuid ${runId} differs from the folder name ${folder.runId}`,
    };
  }
  const stage: LifecycleStage = meta.lifecycle_stage === 'deleted' ? 'deleted' : 'active';
  return {
    kind: 'ok',
    value: {
      runId,
      experimentId,
      runName: typeof meta.run_name === 'string' ? meta.run_name : '',
      userId: String(meta.user_id),
      status: STATUS_NAMES[status]!,
      startTime: meta.start_time,
      ...(typeof meta.end_time === 'number' ? { endTime: meta.end_time } : {}),
      artifactUri: typeof meta.artifact_uri === 'string' ? meta.artifact_uri : '',
      lifecycleStage: stage,
      ...(typeof meta.deleted_time === 'number' ? { deletedTime: meta.deleted_time } : {}),
    },
  };
}

/** The `meta.yaml` of an experiment, as MLflow writes it. */
export function experimentMetaYaml(experiment: Omit<Experiment, 'tags'>): string {
  return toYaml({
    artifact_location: experiment.artifactLocation,
    creation_time: experiment.creationTime,
    experiment_id: experiment.experimentId,
    last_update_time: experiment.lastUpdateTime,
    lifecycle_stage: experiment.lifecycleStage,
    name: experiment.name,
  });
}

/** The `meta.yaml` of a run, as MLflow writes it (both `run_id` and `run_uuid`, integer status). */
export function runMetaYaml(info: StoredRunInfo): string {
  return toYaml({
    artifact_uri: info.artifactUri,
    ...(info.deletedTime === undefined ? {} : { deleted_time: info.deletedTime }),
    end_time: info.endTime ?? null,
    entry_point_name: '',
    experiment_id: info.experimentId,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
    run_name: info.runName,
    run_uuid: info.runId,
    source_name: '',
    source_type: 4,
    source_version: '',
    start_time: info.startTime,
    status: STATUS_CODES[info.status],
    tags: [],
    user_id: info.userId,
  });
}

/** The absolute `file://` URI of a folder. */
export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** What Python's `float()` accepts (besides nan/inf): `3`, `3.`, `.5`, `1e-05`, `1_000.5`. */
const PYTHON_FLOAT =
  /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const PYTHON_SPECIAL: Record<string, number> = {
  nan: Number.NaN,
  '+nan': Number.NaN,
  '-nan': Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};

/**
 * Parses a metric file with MLflow's reader rules: each line `<int ms> <float> [<int step>]`
 * (2 or 3 fields, step 0 when absent); a blank line, another field count, a float timestamp or an
 * empty file are fatal. Returns the points in file order, or the reason it is fatal.
 */
export function parseMetricFile(key: string, text: string): Metric[] | string {
  const stripped = text.replace(/\n$/, '');
  if (stripped === '') return `metric '${key}' file is empty`;
  const points: Metric[] = [];
  for (const rawLine of stripped.split('\n')) {
    const fields = rawLine.trim().split(' ');
    if (fields.length !== 2 && fields.length !== 3) {
      return `Metric '${key}' is malformed; persisted metric data contained ${fields.length} fields. Expected 2 or 3 fields.`;
    }
    const [timestampText, valueText, stepText] = fields as [string, string, string | undefined];
    if (!/^[+-]?\d+$/.test(timestampText))
      return `metric '${key}' has timestamp ${JSON.stringify(timestampText)}, not an integer`;
    const special = PYTHON_SPECIAL[valueText.toLowerCase()];
    if (special === undefined && !PYTHON_FLOAT.test(valueText))
      return `metric '${key}' has value ${JSON.stringify(valueText)}`;
    if (stepText !== undefined && !/^[+-]?\d+$/.test(stepText))
      return `metric '${key}' has step ${JSON.stringify(stepText)}`;
    points.push({
      key,
      timestamp: Number(timestampText),
      value: special ?? Number(valueText.replaceAll('_', '')),
      step: stepText === undefined ? 0 : Number(stepText),
    });
  }
  return points;
}

/** The latest point: greatest (step, timestamp, value), as MLflow picks it. */
export function latestMetric(points: readonly Metric[]): Metric {
  let best = points[0]!;
  for (const point of points) {
    if (
      point.step > best.step ||
      (point.step === best.step &&
        (point.timestamp > best.timestamp ||
          (point.timestamp === best.timestamp && point.value > best.value)))
    ) {
      best = point;
    }
  }
  return best;
}
