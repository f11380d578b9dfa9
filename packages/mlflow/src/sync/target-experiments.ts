import { MlflowError } from '../errors.js';
import type { TrackingStore } from '../tracking-store.js';
import type { Experiment, RunTag } from '../types.js';
import { SYNC_TAGS } from './sync-tags.js';
import type { DestinationCopy } from './sync-target.js';

/**
 * Brings the destination experiment's tags up to the source's (a tag it lacks or holds another
 * value of is set; its own other tags stay). Refuses a deleted experiment: its runs cannot be
 * logged to, and a new one of the same name cannot be made.
 */
export async function syncExperimentTags(
  store: TrackingStore,
  experiment: Experiment,
  source: Experiment,
  dryRun: boolean,
): Promise<void> {
  if (experiment.lifecycleStage === 'deleted') {
    throw new MlflowError({
      code: 'INVALID_STATE',
      message: `experiment "${source.name}" is deleted at the destination (id ${experiment.experimentId}): restore it there (mlflow experiments restore) or rename the source experiment`,
    });
  }
  if (dryRun) return;
  const present = new Map(experiment.tags.map((tag) => [tag.key, tag.value]));
  for (const tag of source.tags) {
    if (present.get(tag.key) !== tag.value)
      await store.setExperimentTag(experiment.experimentId, tag.key, tag.value);
  }
}

/** One destination run, as the index needs it. */
export interface IndexedRun {
  runId: string;
  artifactUri: string;
  deleted: boolean;
  tags: readonly RunTag[];
}

/**
 * The destination's runs by origin id: each copy a sync made under the origin it records, every
 * other run under its own id — a run copied back to where it came from is found as the original
 * (complete, never copied again).
 */
export function indexRuns(runs: readonly IndexedRun[]): Map<string, DestinationCopy[]> {
  const index = new Map<string, DestinationCopy[]>();
  const add = (key: string, copy: DestinationCopy) => {
    const list = index.get(key);
    if (list) list.push(copy);
    else index.set(key, [copy]);
  };
  for (const run of runs) {
    const tag = (key: string) => run.tags.find((item) => item.key === key)?.value;
    const origin = tag(SYNC_TAGS.originRunId);
    const base = { runId: run.runId, artifactUri: run.artifactUri, deleted: run.deleted };
    if (origin) add(origin, { ...base, complete: tag(SYNC_TAGS.complete) === 'true' });
    else add(run.runId, { ...base, complete: true });
  }
  return index;
}
