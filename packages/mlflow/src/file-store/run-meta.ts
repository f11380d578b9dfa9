import { toYaml } from '../internal/yaml.js';
import type { LifecycleStage, RunInfo, RunStatus } from '../types.js';
import { type MetaVerdict, parseMapping } from './meta-verdict.js';

/** MLflow's integer encoding of run status in `meta.yaml`. */
const STATUS_CODES: Readonly<Record<RunStatus, number>> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};
const STATUS_NAMES = Object.fromEntries(
  Object.entries(STATUS_CODES).map(([name, code]) => [code, name]),
) as Record<number, RunStatus>;

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

/** The run info without what only the store keeps (`deleted_time`). */
export function publicInfo(info: StoredRunInfo): RunInfo {
  const { deletedTime: _, ...rest } = info;
  return { ...rest };
}
