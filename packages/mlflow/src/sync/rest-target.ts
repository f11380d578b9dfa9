import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertArtifactsWritable } from '../artifacts/artifact-access.js';
import { MlflowError } from '../errors.js';
import { nextPage } from '../internal/next-page.js';
import type { CreateVersionRequest } from '../registry/registry-store.js';
import type { ModelVersion } from '../registry/registry-types.js';
import { parseModelVersion } from '../registry/registry-wire.js';
import { API } from '../rest/api-paths.js';
import type { RestStore } from '../rest/rest-store.js';
import { parseRun } from '../rest/wire.js';
import type { Experiment, Metric, Param, RunInfo, RunStatus, RunTag } from '../types.js';
import { groupByKey, missingPoints } from './metric-diff.js';
import { type SyncBatch, syncBatches } from './sync-batches.js';
import type { ArtifactFile } from './sync-source.js';
import { COMPLETE_TAG, rewriteModelHistory, SYNC_TAGS } from './sync-tags.js';
import type { CopyJob, DestinationCopy, Sent, SyncTarget } from './sync-target.js';
import { indexRuns, syncExperimentTags } from './target-experiments.js';

/**
 * A write that cannot be repeated blindly waits for its answer as long as the call's deadline
 * allows (setTimeout's longest delay): an attempt given up on while the server still works on it
 * would come back as a second run or a second copy of each point.
 */
const WRITE_TIMEOUT_MS = 2_147_483_647;

/** What a check before a retry found: the call's effect is there, or only part of it. */
type Landed = { done: true } | { partial: SyncBatch } | { failed: unknown };

/**
 * A tracking server as a sync destination. A copy is `runs/create` (with every tag, the source
 * and origin ids among them), its artifacts (streamed `PUT`s, or files on the server's disk),
 * `runs/update` (status, end time), then `runs/log-batch` by metric key with the completion tag in
 * the last one: three requests for a run without artifacts. Before a write is retried, the store
 * is asked what the lost attempt did: a run created is found by its origin tag, points that landed
 * are not sent again (a file-store-backed server would keep both copies).
 */
export class RestSyncTarget implements SyncTarget {
  #temp: Promise<string> | undefined;

  constructor(readonly store: RestStore) {}

  get uri(): string {
    return this.store.uri;
  }

  get registry() {
    return this.store.registry;
  }

  async ensureExperiment(source: Experiment, dryRun: boolean) {
    let experiment = await this.store.getExperimentByName(source.name);
    let created = false;
    if (!experiment) {
      if (dryRun) return { experiment: undefined, created: true };
      try {
        await this.store.createExperiment(source.name, source.tags);
        created = true;
      } catch (error) {
        // A retried create whose first attempt made it.
        if (!(error instanceof MlflowError && error.code === 'RESOURCE_ALREADY_EXISTS'))
          throw error;
      }
      experiment = await this.store.getExperimentByName(source.name);
      if (!experiment)
        throw new MlflowError({
          code: 'INTERNAL_ERROR',
          message: `experiment "${source.name}" vanished after creation`,
        });
    }
    await syncExperimentTags(this.store, experiment, source, dryRun);
    assertArtifactsWritable(experiment);
    return { experiment, created };
  }

  async indexCopies(experimentId: string): Promise<Map<string, DestinationCopy[]>> {
    const runs = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    do {
      const page = await this.store.searchRuns({
        experimentIds: [experimentId],
        viewType: 'ALL',
        maxResults: 1000,
        ...(pageToken ? { pageToken } : {}),
      });
      runs.push(...page.runs);
      pageToken = nextPage(seen, page.nextPageToken, 'runs/search');
    } while (pageToken);
    return indexRuns(
      runs.map((run) => ({
        runId: run.info.runId,
        artifactUri: run.info.artifactUri,
        deleted: run.info.lifecycleStage === 'deleted',
        tags: run.data.tags,
      })),
    );
  }

  async copyRun(job: CopyJob): Promise<{ runId: string; artifactUri: string; sent: Sent }> {
    const { run } = job;
    const info = await this.#createRun(job);
    const copy = { runId: info.runId, artifactUri: info.artifactUri };
    let bytes = 0;
    for (const file of job.files) {
      await this.putArtifact(copy, file, job);
      bytes += file.size;
    }
    if (run.info.status !== 'RUNNING' || run.info.endTime !== undefined)
      await this.updateRun(copy.runId, run.info.status, run.info.endTime);
    const tags = job.history ? [rewriteModelHistory(job.history, run.info.runId, copy.runId)] : [];
    await this.logBatch(
      copy.runId,
      { params: run.params, tags, metrics: run.metrics },
      job.complete,
    );
    const sent = {
      params: run.params.length,
      tags: job.tags.length + tags.length,
      points: run.metrics.length,
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
    for (const chunk of syncBatches(runId, batch, complete ? COMPLETE_TAG : undefined))
      await this.#sendBatch(runId, chunk);
  }

  async updateRun(runId: string, status: RunStatus, endTime: number | undefined): Promise<void> {
    await this.store.updateRun(runId, { status, ...(endTime === undefined ? {} : { endTime }) });
  }

  async putArtifact(
    copy: { runId: string; artifactUri: string },
    file: ArtifactFile,
    job: Pick<CopyJob, 'run' | 'source'>,
  ): Promise<void> {
    const location = { runId: copy.runId, artifactUri: copy.artifactUri } as RunInfo;
    const local = job.source.localArtifact(job.run.info, file.path);
    if (local !== undefined && (await stat(local).catch(() => undefined))) {
      await this.store.putArtifact(location, file.path, { path: local });
      return;
    }
    // A server source: downloaded to a temporary file first, then streamed up.
    const temp = join(await this.#tempDir(), `${copy.runId}-${encodeURIComponent(file.path)}`);
    try {
      await job.source.saveArtifact(job.run.info, file.path, temp);
      await this.store.putArtifact(location, file.path, { path: temp });
    } finally {
      await rm(temp, { force: true });
    }
  }

  async createModelVersion(
    request: CreateVersionRequest,
    find: () => Promise<ModelVersion | undefined>,
  ): Promise<ModelVersion> {
    const answer = (await this.store.transport.call({
      method: 'POST',
      path: `${API}/model-versions/create`,
      endpoint: 'model-versions/create',
      json: JSON.stringify({
        name: request.name,
        source: request.source,
        ...(request.runId ? { run_id: request.runId } : {}),
        ...(request.tags.length > 0 ? { tags: request.tags } : {}),
        ...(request.runLink ? { run_link: request.runLink } : {}),
        ...(request.description ? { description: request.description } : {}),
      }),
      timeoutMs: WRITE_TIMEOUT_MS,
      beforeRetry: () => lookUp(find),
    })) as { model_version?: unknown; found?: ModelVersion; failed?: unknown };
    if ('failed' in answer) throw answer.failed;
    return answer.found ?? parseModelVersion(answer.model_version);
  }

  async close(): Promise<void> {
    try {
      await this.store.close();
    } finally {
      if (this.#temp) await rm(await this.#temp, { recursive: true, force: true });
    }
  }

  /** `runs/create` with the copy's tags; a retry first looks for the run by its origin tag. */
  async #createRun(job: CopyJob): Promise<RunInfo> {
    const { run, experiment } = job;
    const origin = job.tags.find((tag) => tag.key === SYNC_TAGS.originRunId)!.value;
    const answer = (await this.store.transport.call({
      method: 'POST',
      path: `${API}/runs/create`,
      endpoint: 'runs/create',
      json: JSON.stringify({
        experiment_id: experiment.experimentId,
        user_id: run.info.userId,
        run_name: run.info.runName,
        start_time: run.info.startTime,
        tags: job.tags,
      }),
      timeoutMs: WRITE_TIMEOUT_MS,
      beforeRetry: () =>
        lookUp(async () => {
          const copies = (await this.indexCopies(experiment.experimentId)).get(origin) ?? [];
          return copies.find((copy) => copy.runId !== origin);
        }),
    })) as { run?: unknown; found?: DestinationCopy; failed?: unknown };
    if ('failed' in answer) throw answer.failed;
    if (answer.found)
      return { ...run.info, runId: answer.found.runId, artifactUri: answer.found.artifactUri };
    return parseRun(answer.run).info;
  }

  /** One `log-batch`; a retry sends only what the lost attempt did not store. */
  async #sendBatch(runId: string, batch: SyncBatch): Promise<void> {
    const answer = (await this.store.transport.call({
      method: 'POST',
      path: `${API}/runs/log-batch`,
      endpoint: 'runs/log-batch',
      json: batch.json,
      timeoutMs: WRITE_TIMEOUT_MS,
      beforeRetry: () => this.#landed(runId, batch),
    })) as Partial<Landed>;
    if ('failed' in answer) throw answer.failed;
    if ('partial' in answer && answer.partial) await this.#sendBatch(runId, answer.partial);
  }

  /** What of `batch` is stored: nothing (`undefined`: send it again), all, or part. */
  async #landed(runId: string, batch: SyncBatch): Promise<Landed | undefined> {
    // Params and tags may be sent twice (the same value again is a no-op): only points count.
    if (batch.metrics.length === 0) return undefined;
    try {
      const missing: Metric[] = [];
      for (const [key, points] of groupByKey(batch.metrics))
        missing.push(...missingPoints(points, await this.store.getMetricHistory(runId, key)));
      if (missing.length === batch.metrics.length) return undefined;
      const rest = { params: batch.params, tags: batch.tags, metrics: missing };
      const [partial] = syncBatches(runId, rest);
      return partial ? { partial } : { done: true };
    } catch (error) {
      // The store cannot say: stop here; the next sync compares and sends what is missing.
      return { failed: error };
    }
  }

  #tempDir(): Promise<string> {
    this.#temp ??= mkdtemp(join(tmpdir(), 'heart-mlflow-sync-'));
    return this.#temp;
  }
}

/**
 * Before retrying a create: what the lost attempt made (`found`), nothing (`undefined`: create it
 * again), or `failed` when the store cannot say — then the call stops rather than risk a twin, and
 * the next sync finds whatever was made.
 */
async function lookUp<T>(find: () => Promise<T | undefined>) {
  try {
    const found = await find();
    return found === undefined ? undefined : { found };
  } catch (failed) {
    return { failed };
  }
}
