import type { Metric } from '../types.js';
import { LIMITS, truncateCodePoints } from '../validation.js';
import { groupByKey, missingPoints, pointKey } from './metric-diff.js';
import { artifactSizes } from './resume-copy.js';
import type { ArtifactFile, SourceRun } from './sync-source.js';
import { SYNC_TAGS } from './sync-tags.js';
import type { SyncTarget } from './sync-target.js';

/**
 * Reads a copy back and compares it with its source run: the completion tag, every param
 * (MLflow keeps the first 6000 characters), every tag of the source, every distinct metric point
 * (a SQL store keeps one copy of a point logged twice), every artifact file with its size. Returns
 * what differs, or `undefined` when the copy is whole — the condition for deleting the source run.
 */
export async function verifyCopy(
  target: SyncTarget,
  copy: { runId: string; artifactUri: string },
  run: SourceRun,
  files: readonly ArtifactFile[],
): Promise<string | undefined> {
  const present = await target.store.getRun(copy.runId);
  const tags = new Map(present.data.tags.map((tag) => [tag.key, tag.value]));
  if (tags.get(SYNC_TAGS.complete) !== 'true') return 'the copy is not marked complete';
  const params = new Map(present.data.params.map((param) => [param.key, param.value]));
  for (const param of run.params) {
    if (params.get(param.key) !== truncateCodePoints(param.value, LIMITS.paramValueLength))
      return `param ${param.key} differs`;
  }
  for (const tag of run.tags) {
    if (tag.key.startsWith('heart.sync.') || tag.key === 'mlflow.log-model.history') continue;
    if (!tags.has(tag.key)) return `tag ${tag.key} is missing`;
  }
  for (const [key, points] of groupByKey(run.metrics)) {
    const history = await target.store.getMetricHistory(copy.runId, key);
    const missing = missingPoints(distinct(points), history);
    if (missing.length > 0) return `metric ${key} lacks ${missing.length} of its points`;
  }
  const stored = await artifactSizes(target.store, copy);
  for (const file of files) {
    if (stored.get(file.path) !== file.size) return `artifact ${file.path} is missing or differs`;
  }
  return undefined;
}

function distinct(points: readonly Metric[]): Metric[] {
  const seen = new Set<string>();
  return points.filter((point) => {
    const key = pointKey(point);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
