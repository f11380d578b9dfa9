import type { TrackingStore } from '../tracking-store.js';
import type { FileInfo, Metric, RunInfo } from '../types.js';
import { groupByKey, missingPoints } from './metric-diff.js';
import { rewriteModelHistory } from './sync-tags.js';
import type { CopyJob, DestinationCopy, Sent, SyncTarget } from './sync-target.js';

/**
 * Brings an unfinished copy (a sync killed halfway, or a source run still running then) up to the
 * source: what the copy lacks is read from it first — params by key, tags by value, each metric's
 * history compared point by point, artifacts by path and size — and only that is sent; then the
 * status, then the completion tag last. Nothing is sent twice, so a store that keeps every point
 * it is sent still holds each point once.
 */
export async function resumeCopy(
  target: SyncTarget,
  copy: DestinationCopy,
  job: CopyJob,
): Promise<{ sent: Sent; changed: boolean }> {
  const { run } = job;
  const present = await target.store.getRun(copy.runId);
  const params = new Map(present.data.params.map((param) => [param.key, param.value]));
  const tags = new Map(present.data.tags.map((tag) => [tag.key, tag.value]));
  const wantedTags = [...job.tags];
  if (job.history) wantedTags.push(rewriteModelHistory(job.history, run.info.runId, copy.runId));
  const batch = {
    params: run.params.filter((param) => !params.has(param.key)),
    tags: wantedTags.filter((tag) => tags.get(tag.key) !== tag.value),
    metrics: [] as Metric[],
  };
  const logged = new Set(present.data.metrics.map((metric) => metric.key));
  for (const [key, points] of groupByKey(run.metrics)) {
    const history = logged.has(key) ? await target.store.getMetricHistory(copy.runId, key) : [];
    batch.metrics.push(...missingPoints(points, history));
  }
  const stored = await artifactSizes(target.store, copy);
  const files = job.files.filter((file) => stored.get(file.path) !== file.size);
  for (const file of files) await target.putArtifact(copy, file, job);
  const ended = run.info.status !== 'RUNNING' || run.info.endTime !== undefined;
  const statusChanged =
    ended && (present.info.status !== run.info.status || present.info.endTime !== run.info.endTime);
  if (statusChanged) await target.updateRun(copy.runId, run.info.status, run.info.endTime);
  const anything = batch.params.length + batch.tags.length + batch.metrics.length > 0;
  if (anything || job.complete) await target.logBatch(copy.runId, batch, job.complete);
  const sent = {
    params: batch.params.length,
    tags: batch.tags.length,
    points: batch.metrics.length,
    files: files.length,
    bytes: files.reduce((sum, file) => sum + file.size, 0),
  };
  return { sent, changed: anything || files.length > 0 || statusChanged || job.complete };
}

/** Every artifact file of a run at a store, by path → size (listed folder by folder). */
export async function artifactSizes(
  store: TrackingStore,
  copy: { runId: string; artifactUri: string },
): Promise<Map<string, number>> {
  const location = { runId: copy.runId, artifactUri: copy.artifactUri } as RunInfo;
  const sizes = new Map<string, number>();
  const walk = async (path: string): Promise<void> => {
    let entries: FileInfo[];
    try {
      entries = await store.listArtifacts(location, path);
    } catch {
      return; // nothing there yet
    }
    for (const entry of entries) {
      if (entry.path === path) continue;
      if (entry.isDir) await walk(entry.path);
      else sizes.set(entry.path, entry.fileSize ?? -1);
    }
  };
  await walk('');
  return sizes;
}
