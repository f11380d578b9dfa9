import { join, resolve } from 'node:path';
import { type Clock, redactUri, systemClock, writeFileAtomic } from '@heart/internal';
import {
  listLocalArtifacts,
  localArtifactRoot,
  putLocalArtifact,
  readLocalArtifact,
} from '../artifacts/local-artifacts.js';
import { putLocalFolder } from '../artifacts/local-folder.js';
import { invalidParameter, MlflowError, notFound } from '../errors.js';
import { FileRegistry } from '../registry/file-registry.js';
import type {
  ArtifactFiles,
  ArtifactLocation,
  CreateRunRequest,
  LogBatchRequest,
  LoggedModelEntry,
  TrackingStore,
} from '../tracking-store.js';
import type {
  Experiment,
  ExperimentTag,
  FileInfo,
  Metric,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsOptions,
  SearchRunsResult,
} from '../types.js';
import { withExperimentLock } from './experiment-lock.js';
import {
  assertExperimentName,
  createExperimentFolder,
  ensureStoreRoot,
  findExperimentFolder,
  listExperiments,
  readExperiment,
} from './experiments.js';
import { writeKeyFile } from './key-files.js';
import { appendModelHistory } from './model-history.js';
import { writeRunBatch } from './run-batch.js';
import { publicInfo, runMetaYaml, type StoredRunInfo } from './run-meta.js';
import {
  createRunFolder,
  findRunFolder,
  readMetricHistory,
  readRunData,
  readRunInfo,
  type StoredRun,
} from './runs.js';
import { searchStoredRuns } from './search-runs.js';
import { fileUri } from './store-layout.js';

/**
 * MLflow's local file store (`./mlruns`), written exactly as SPEC §2 describes so that
 * `mlflow ui --backend-store-uri file:./mlruns` reads it: sorted-key `meta.yaml` files with both
 * `run_id` and `run_uuid`, metric lines `<ms> <value> <step>`, raw param and tag files. Crash-safe:
 * every `meta.yaml`, param and tag file is written to a temporary file in the run or experiment
 * folder root and renamed into place, and a run's `meta.yaml` is written last, so a process killed
 * at any moment leaves nothing MLflow cannot list. Experiments are created under a lock file, so two
 * processes calling `setExperiment` at once share one experiment.
 */
export class FileStore implements TrackingStore {
  readonly root: string;
  readonly uri: string;
  /** The registry in `<root>/models/` (SPEC §8.5). */
  readonly registry: FileRegistry;
  #ready: Promise<void> | undefined;
  #runFolders = new Map<string, string>();
  #runLocks = new Map<string, Promise<unknown>>();
  readonly #clock: Clock;

  /**
   * `options.now`: epoch ms for the registry's timestamps (default `Date.now`); `options.clock`:
   * the waits of the experiment lock (default the system's).
   */
  constructor(root: string, options: { now?: () => number; clock?: Clock } = {}) {
    this.root = resolve(root);
    this.#clock = options.clock ?? systemClock;
    this.uri = fileUri(this.root);
    this.registry = new FileRegistry({
      root: this.root,
      ...(options.now ? { now: options.now } : {}),
      prepare: () => this.#prepare(),
      runArtifactUri: async (runId) => (await this.#findRun(runId)).info.artifactUri,
    });
  }

  // ── experiments ──────────────────────────────────────────────────────────

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return (await listExperiments(this.root)).find((experiment) => experiment.name === name);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const folder = await findExperimentFolder(this.root, experimentId);
    if (!folder) throw notFound(`Could not find experiment with ID ${experimentId}`);
    const experiment = await readExperiment(folder, experimentId);
    if (!experiment) throw notFound(`Could not find experiment with ID ${experimentId}`);
    return experiment;
  }

  async createExperiment(name: string, tags: readonly ExperimentTag[] = []): Promise<string> {
    assertExperimentName(name);
    await this.#prepare();
    return withExperimentLock(
      this.root,
      () => createExperimentFolder(this.root, name, tags),
      this.#clock,
    );
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    const experiment = await this.getExperiment(experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state.`);
    }
    const folder = (await findExperimentFolder(this.root, experimentId))!;
    await writeKeyFile(folder, 'tags', key, value);
  }

  // ── runs ─────────────────────────────────────────────────────────────────

  async createRun(request: CreateRunRequest): Promise<Run> {
    const experiment = await this.getExperiment(request.experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw invalidParameter(
        `Could not create run under non-active experiment with ID ${request.experimentId}.`,
      );
    }
    const { folder, info } = await createRunFolder(this.root, experiment, request);
    this.#runFolders.set(info.runId, folder);
    return { info: publicInfo(info), data: { metrics: [], params: [], tags: [...request.tags] } };
  }

  async updateRun(
    runId: string,
    update: { status: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    return this.#locked(runId, async () => {
      const { folder, info } = await this.#findRun(runId);
      const next: StoredRunInfo = {
        ...info,
        status: update.status,
        ...(update.endTime === undefined ? {} : { endTime: update.endTime }),
        ...(update.runName === undefined ? {} : { runName: update.runName }),
      };
      if (update.runName !== undefined)
        await writeKeyFile(folder, 'tags', 'mlflow.runName', update.runName);
      await writeFileAtomic(join(folder, 'meta.yaml'), runMetaYaml(next));
      return publicInfo(next);
    });
  }

  async getRun(runId: string): Promise<Run> {
    const { folder, info } = await this.#findRun(runId);
    const data = await readRunData(folder, info);
    return { info: publicInfo(info), data };
  }

  async deleteRun(runId: string): Promise<void> {
    await this.#locked(runId, async () => {
      const { folder, info } = await this.#findRun(runId);
      await writeFileAtomic(
        join(folder, 'meta.yaml'),
        runMetaYaml({ ...info, lifecycleStage: 'deleted', deletedTime: Date.now() }),
      );
    });
  }

  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    await this.#locked(runId, async () => writeRunBatch(await this.#findRun(runId), batch));
  }

  searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult> {
    return searchStoredRuns(this.root, options);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const { folder } = await this.#findRun(runId);
    return readMetricHistory(folder, key);
  }

  async recordLoggedModel(runId: string, entry: LoggedModelEntry): Promise<void> {
    await this.#locked(runId, async () => {
      const { folder } = await this.#findRun(runId);
      await appendModelHistory(folder, entry);
    });
  }

  // ── artifacts ────────────────────────────────────────────────────────────

  async putArtifact(
    run: RunInfo,
    artifactPath: string,
    source: { path: string } | { bytes: Uint8Array },
  ): Promise<void> {
    await putLocalArtifact(artifactRoot(run), artifactPath, source);
  }

  /** Staged in `<root>/.trash/` when the run's artifacts are in this store (`putLocalFolder`). */
  async putArtifactFolder(run: RunInfo, artifactPath: string, files: ArtifactFiles): Promise<void> {
    await putLocalFolder(artifactRoot(run), artifactPath, files, this.root);
  }

  async listArtifacts(run: ArtifactLocation, path?: string): Promise<FileInfo[]> {
    return listLocalArtifacts(artifactRoot(run), path);
  }

  async readArtifact(run: ArtifactLocation, path: string): Promise<Uint8Array> {
    return readLocalArtifact(artifactRoot(run), path);
  }

  async flush(): Promise<void> {}

  // ── internals ────────────────────────────────────────────────────────────

  /** SPEC §2.9.7: a new store gets `.trash/` and the Default experiment first. */
  #prepare(): Promise<void> {
    this.#ready ??= ensureStoreRoot(this.root);
    return this.#ready;
  }

  /** The run's folder (remembered once found) and its `meta.yaml`. */
  async #findRun(runId: string): Promise<StoredRun> {
    if (!/^[a-zA-Z0-9][\w-]{0,255}$/.test(runId)) throw notFound(`Run '${runId}' not found`);
    const folder = this.#runFolders.get(runId) ?? (await findRunFolder(this.root, runId));
    if (!folder) throw notFound(`Run '${runId}' not found`);
    this.#runFolders.set(runId, folder);
    return { folder, info: await readRunInfo(folder, runId) };
  }

  /** Serialises work on one run within this process (meta.yaml rewrites, history appends). */
  async #locked<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#runLocks.get(runId) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#runLocks.set(
      runId,
      next.catch(() => undefined),
    );
    return next;
  }
}

function artifactRoot(run: ArtifactLocation): string {
  const root = localArtifactRoot(run.artifactUri);
  if (!root) {
    throw new MlflowError({
      code: 'UNSUPPORTED_URI',
      message: `run ${run.runId} stores artifacts at ${redactUri(run.artifactUri)}, which is not a local path or file: URI`,
    });
  }
  return root;
}
