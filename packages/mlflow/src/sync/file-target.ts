import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { redactUri } from '@heart/internal';
import { localArtifactRoot } from '../artifacts/local-artifacts.js';
import { MlflowError } from '../errors.js';
import type { FileStore } from '../file-store/file-store.js';
import { importRunFolder } from '../file-store/import-run.js';
import { readRunMeta } from '../file-store/run-meta.js';
import { EXPERIMENT_RESERVED } from '../file-store/store-layout.js';
import type { CreateVersionRequest } from '../registry/registry-store.js';
import type { ModelVersion } from '../registry/registry-types.js';
import type { Experiment, Metric, Param, RunStatus, RunTag } from '../types.js';
import { normaliseBatch, normaliseExperimentTag } from '../validation.js';
import type { ArtifactFile } from './sync-source.js';
import { COMPLETE_TAG, rewriteModelHistory, SYNC_TAGS } from './sync-tags.js';
import type { CopyJob, DestinationCopy, Sent, SyncTarget } from './sync-target.js';
import { type IndexedRun, indexRuns, syncExperimentTags } from './target-experiments.js';

/**
 * A file store as a sync destination. A new copy is built whole where MLflow does not look
 * (params, tags, every point, artifacts, `meta.yaml` last) and renamed into place, keeping the
 * source's run id when the store has no run of that id: a sync killed at any moment leaves each
 * run copied whole or not at all. Values are checked as MLflow checks them (keys refused, long
 * values cut to MLflow's limits).
 */
export class FileSyncTarget implements SyncTarget {
  constructor(readonly store: FileStore) {}

  get root(): string {
    return this.store.root;
  }

  get uri(): string {
    return this.store.uri;
  }

  get registry() {
    return this.store.registry;
  }

  async ensureExperiment(source: Experiment, dryRun: boolean) {
    let experiment = await this.store.getExperimentByName(source.name);
    if (!experiment) {
      if (dryRun) return { experiment: undefined, created: true };
      const tags = source.tags.map((tag) => normaliseExperimentTag(tag.key, tag.value));
      try {
        const id = await this.store.createExperiment(source.name, tags);
        return { experiment: await this.store.getExperiment(id), created: true };
      } catch (error) {
        // `Default`, which a new store gets before its first experiment.
        if (!(error instanceof MlflowError && error.code === 'RESOURCE_ALREADY_EXISTS'))
          throw error;
        experiment = await this.store.getExperimentByName(source.name);
        if (!experiment) throw error;
      }
    }
    await syncExperimentTags(this.store, experiment, source, dryRun);
    return { experiment, created: false };
  }

  async indexCopies(experimentId: string): Promise<Map<string, DestinationCopy[]>> {
    const base = join(this.root, experimentId);
    const runs: IndexedRun[] = [];
    // Small files, read synchronously (see FileSyncSource).
    for (const entry of listFolder(base)) {
      if (!entry.isDirectory() || EXPERIMENT_RESERVED.has(entry.name)) continue;
      const folder = join(base, entry.name);
      const meta = readRunMeta(readSmall(join(folder, 'meta.yaml')), {
        runId: entry.name,
        experimentId,
      });
      if (meta.kind !== 'ok') continue;
      const tags: RunTag[] = [];
      for (const key of [SYNC_TAGS.originRunId, SYNC_TAGS.complete]) {
        const value = readSmall(join(folder, 'tags', key));
        if (value !== undefined) tags.push({ key, value });
      }
      runs.push({
        runId: meta.value.runId,
        artifactUri: meta.value.artifactUri,
        deleted: meta.value.lifecycleStage === 'deleted',
        tags,
      });
    }
    return indexRuns(runs);
  }

  async copyRun(job: CopyJob): Promise<{ runId: string; artifactUri: string; sent: Sent }> {
    const { run } = job;
    const checked = normaliseBatch({ params: run.params, tags: job.tags, metrics: run.metrics });
    const done = job.complete ? [COMPLETE_TAG] : [];
    let bytes = 0;
    const copy = await importRunFolder(this.root, job.experiment, {
      preferredRunId: run.info.runId,
      info: run.info,
      params: checked.params,
      tags: [...checked.tags, ...done],
      tagsFor: (runId) =>
        job.history ? [rewriteModelHistory(job.history, run.info.runId, runId)] : [],
      metrics: checked.metrics,
      artifacts: async (folder) => {
        for (const file of job.files) {
          await job.source.saveArtifact(run.info, file.path, join(folder, ...file.path.split('/')));
          bytes += file.size;
        }
      },
    });
    const sent = {
      params: checked.params.length,
      tags: checked.tags.length + done.length + (job.history ? 1 : 0),
      points: checked.metrics.length,
      files: job.files.length,
      bytes,
    };
    return { ...copy, sent };
  }

  async logBatch(
    runId: string,
    batch: { params: Param[]; tags: RunTag[]; metrics: Metric[] },
    complete: boolean,
  ): Promise<void> {
    const checked = normaliseBatch(batch);
    if (checked.params.length + checked.tags.length + checked.metrics.length > 0)
      await this.store.logBatch(runId, checked);
    // Alone and last: the file store writes a batch's tags before its points.
    if (complete) await this.store.logBatch(runId, { tags: [COMPLETE_TAG] });
  }

  async updateRun(runId: string, status: RunStatus, endTime: number | undefined): Promise<void> {
    await this.store.updateRun(runId, { status, ...(endTime === undefined ? {} : { endTime }) });
  }

  async putArtifact(
    copy: { runId: string; artifactUri: string },
    file: ArtifactFile,
    job: Pick<CopyJob, 'run' | 'source'>,
  ): Promise<void> {
    const root = localArtifactRoot(copy.artifactUri);
    if (!root) {
      throw new MlflowError({
        code: 'UNSUPPORTED_URI',
        message: `run ${copy.runId} stores artifacts at ${redactUri(copy.artifactUri)}, not a local folder`,
      });
    }
    const target = join(root, ...file.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    // Written beside the target and renamed: a reader never sees half a file.
    const temp = join(dirname(target), `.tmp-${randomBytes(6).toString('hex')}`);
    try {
      const local = job.source.localArtifact(job.run.info, file.path);
      if (local !== undefined) await copyFile(local, temp);
      else await job.source.saveArtifact(job.run.info, file.path, temp);
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }

  createModelVersion(request: CreateVersionRequest): Promise<ModelVersion> {
    return this.registry.createModelVersion(request);
  }

  async close(): Promise<void> {}
}

function readSmall(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function listFolder(folder: string) {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}
