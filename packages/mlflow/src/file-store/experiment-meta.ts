import { toYaml } from '../internal/yaml.js';
import type { Experiment } from '../types.js';
import { type MetaVerdict, parseMapping } from './meta-verdict.js';

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
