import type {
  Experiment,
  FileInfo,
  LifecycleStage,
  Metric,
  Run,
  RunInfo,
  RunStatus,
} from '../types.js';

/**
 * MLflow's REST wire format (SPEC §3.3): snake_case fields, enums by name, int64 as numbers, and
 * non-finite metric values as the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (JSON has no NaN,
 * and `JSON.stringify(NaN)` is `null`, which MLflow rejects as a missing value).
 */

/** A metric as MLflow's `log-batch` takes it. */
export interface WireMetric {
  key: string;
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  timestamp: number;
  step: number;
}

export function toWireMetric(metric: Metric): WireMetric {
  return {
    key: metric.key,
    value: toWireNumber(metric.value),
    timestamp: metric.timestamp,
    step: metric.step,
  };
}

function toWireNumber(value: number): WireMetric['value'] {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** A metric value back from the wire: numbers as they are, the three strings as JS numbers. */
function fromWireNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return Number.NaN;
}

/** An int64 field back from the wire (numbers, or numeric strings some servers send). */
function int64(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : String(value);
}

const STATUSES = new Set<RunStatus>(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

export function parseExperiment(value: unknown): Experiment {
  const json = record(value);
  const creationTime = int64(json.creation_time);
  const lastUpdateTime = int64(json.last_update_time);
  return {
    experimentId: text(json.experiment_id),
    name: text(json.name),
    artifactLocation: text(json.artifact_location),
    lifecycleStage: json.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    ...(creationTime === undefined ? {} : { creationTime }),
    ...(lastUpdateTime === undefined ? {} : { lastUpdateTime }),
    tags: list(json.tags).map((tag) => ({ key: text(tag.key), value: text(tag.value) })),
  };
}

export function parseRunInfo(value: unknown): RunInfo {
  const json = record(value);
  const endTime = int64(json.end_time);
  const status = text(json.status) as RunStatus;
  return {
    runId: text(json.run_id ?? json.run_uuid),
    experimentId: text(json.experiment_id),
    runName: text(json.run_name),
    userId: text(json.user_id),
    // Proto defaults are omitted on the wire: a missing status is RUNNING (enum value 1).
    status: STATUSES.has(status) ? status : 'RUNNING',
    startTime: int64(json.start_time) ?? 0,
    ...(endTime === undefined ? {} : { endTime }),
    artifactUri: text(json.artifact_uri),
    lifecycleStage: (json.lifecycle_stage === 'deleted' ? 'deleted' : 'active') as LifecycleStage,
  };
}

export function parseMetric(value: unknown): Metric {
  const json = record(value);
  return {
    key: text(json.key),
    value: fromWireNumber(json.value),
    timestamp: int64(json.timestamp) ?? 0,
    step: int64(json.step) ?? 0,
  };
}

export function parseRun(value: unknown): Run {
  const json = record(value);
  const data = record(json.data);
  return {
    info: parseRunInfo(json.info),
    data: {
      metrics: list(data.metrics).map(parseMetric),
      params: list(data.params).map((param) => ({
        key: text(param.key),
        value: text(param.value),
      })),
      tags: list(data.tags).map((tag) => ({ key: text(tag.key), value: text(tag.value) })),
    },
  };
}

/**
 * A `files` listing: `artifacts/list` paths are relative to the run's artifact root already; the
 * proxy's listing is relative to the requested folder, so `prefix` is joined in front.
 */
export function parseFiles(value: unknown, prefix = ''): FileInfo[] {
  return list(value).map((file) => {
    const path = prefix === '' ? text(file.path) : `${prefix}/${text(file.path)}`;
    const size = int64(file.file_size);
    return file.is_dir === true
      ? { path, isDir: true }
      : { path, isDir: false, ...(size === undefined ? {} : { fileSize: size }) };
  });
}
