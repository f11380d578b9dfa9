import { appendFile, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@heart/internal';
import { invalidParameter, MlflowError } from '../errors.js';
import { newExperimentId, newRunId } from '../internal/ids.js';
import { pythonFloat, pythonJsonDumps } from '../internal/python-format.js';
import { matchesFilter, parseFilter, sortRuns } from '../search-filter.js';
import type {
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
  RunData,
  RunInfo,
  RunStatus,
  SearchRunsOptions,
  SearchRunsResult,
} from '../types.js';
import { changedParamError, LIMITS } from '../validation.js';
import { listKeyFiles } from './key-files.js';
import {
  listLocalArtifacts,
  localArtifactRoot,
  putLocalArtifact,
  readLocalArtifact,
} from './local-artifacts.js';
import {
  experimentMetaYaml,
  fileUri,
  latestMetric,
  parseMetricFile,
  readExperimentMeta,
  readRunMeta,
  runMetaYaml,
  type StoredRunInfo,
  unwrap,
} from './meta.js';

const TRASH = '.trash';
const ROOT_RESERVED = new Set([TRASH, 'models']);
const EXPERIMENT_RESERVED = new Set(['tags', 'datasets', 'traces', 'models']);
const LOCK_FILE = '.heart-experiments.lock';
const LOCK_STALE_MS = 30_000;

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
  #ready: Promise<void> | undefined;
  #runFolders = new Map<string, string>();
  #runLocks = new Map<string, Promise<unknown>>();

  constructor(root: string) {
    this.root = resolve(root);
    this.uri = fileUri(this.root);
  }

  // ── experiments ──────────────────────────────────────────────────────────

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return (await this.#listExperiments()).find((experiment) => experiment.name === name);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const folder = await this.#experimentFolder(experimentId);
    if (!folder) throw notFound(`Could not find experiment with ID ${experimentId}`);
    const experiment = await this.#readExperiment(folder, experimentId);
    if (!experiment) throw notFound(`Could not find experiment with ID ${experimentId}`);
    return experiment;
  }

  async createExperiment(name: string, tags: readonly ExperimentTag[] = []): Promise<string> {
    if (typeof name !== 'string' || name.trim() === '') {
      throw invalidParameter(
        "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
      );
    }
    if (Array.from(name).length > LIMITS.experimentNameLength) {
      throw invalidParameter(
        `Experiment name exceeds the ${LIMITS.experimentNameLength} characters MLflow allows`,
      );
    }
    await this.#ensureRoot();
    return this.#withExperimentLock(async () => {
      const existing = (await this.#listExperiments()).find(
        (experiment) => experiment.name === name,
      );
      if (existing) {
        throw new MlflowError({
          code: 'RESOURCE_ALREADY_EXISTS',
          status: 400,
          message:
            existing.lifecycleStage === 'deleted'
              ? `Experiment '${name}' already exists in deleted state. You can restore the experiment, or permanently delete the experiment from the .trash folder (under tracking server's root folder) in order to use this experiment name again.`
              : `Experiment '${name}' already exists.`,
        });
      }
      let experimentId = newExperimentId();
      while (await exists(join(this.root, experimentId))) experimentId = newExperimentId();
      const folder = join(this.root, experimentId);
      await mkdir(folder);
      for (const tag of tags) await this.#writeKeyFile(folder, 'tags', tag.key, tag.value);
      const now = Date.now();
      await writeFileAtomic(
        join(folder, 'meta.yaml'),
        experimentMetaYaml({
          experimentId,
          name,
          artifactLocation: fileUri(folder),
          lifecycleStage: 'active',
          creationTime: now,
          lastUpdateTime: now,
        }),
      );
      return experimentId;
    });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    const experiment = await this.getExperiment(experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state.`);
    }
    await this.#writeKeyFile((await this.#experimentFolder(experimentId))!, 'tags', key, value);
  }

  // ── runs ─────────────────────────────────────────────────────────────────

  async createRun(request: CreateRunRequest): Promise<Run> {
    const experiment = await this.getExperiment(request.experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw invalidParameter(
        `Could not create run under non-active experiment with ID ${request.experimentId}.`,
      );
    }
    const runId = newRunId();
    const folder = join(this.root, request.experimentId, runId);
    const info: StoredRunInfo = {
      runId,
      experimentId: request.experimentId,
      runName: request.runName,
      userId: request.userId,
      status: 'RUNNING',
      startTime: request.startTime,
      artifactUri: `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`,
      lifecycleStage: 'active',
    };
    // SPEC §2.9: folders first, then tag files, then meta.yaml — a folder without meta.yaml is skipped.
    await mkdir(folder);
    await Promise.all(
      ['metrics', 'params', 'tags', 'artifacts'].map((sub) => mkdir(join(folder, sub))),
    );
    for (const tag of request.tags) await this.#writeKeyFile(folder, 'tags', tag.key, tag.value);
    await writeFileAtomic(join(folder, 'meta.yaml'), runMetaYaml(info));
    this.#runFolders.set(runId, folder);
    return { info: publicInfo(info), data: { metrics: [], params: [], tags: [...request.tags] } };
  }

  async updateRun(
    runId: string,
    update: { status: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    return this.#locked(runId, async () => {
      const { folder, info } = await this.#readRunInfo(runId);
      const next: StoredRunInfo = {
        ...info,
        status: update.status,
        ...(update.endTime === undefined ? {} : { endTime: update.endTime }),
        ...(update.runName === undefined ? {} : { runName: update.runName }),
      };
      if (update.runName !== undefined)
        await this.#writeKeyFile(folder, 'tags', 'mlflow.runName', update.runName);
      await writeFileAtomic(join(folder, 'meta.yaml'), runMetaYaml(next));
      return publicInfo(next);
    });
  }

  async getRun(runId: string): Promise<Run> {
    const { folder, info } = await this.#readRunInfo(runId);
    const data = await this.#readRunData(folder, info);
    return { info: publicInfo(info), data };
  }

  async deleteRun(runId: string): Promise<void> {
    await this.#locked(runId, async () => {
      const { folder, info } = await this.#readRunInfo(runId);
      await writeFileAtomic(
        join(folder, 'meta.yaml'),
        runMetaYaml({ ...info, lifecycleStage: 'deleted', deletedTime: Date.now() }),
      );
    });
  }

  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    await this.#locked(runId, async () => {
      const { folder, info } = await this.#readRunInfo(runId);
      if (info.lifecycleStage !== 'active') {
        throw invalidParameter(`The run ${runId} must be in 'active' lifecycle_stage.`);
      }
      // Every check first: a refused batch writes nothing.
      const params = [];
      for (const param of batch.params ?? []) {
        const existing = await readFile(
          join(folder, 'params', ...param.key.split('/')),
          'utf8',
        ).catch(() => undefined);
        if (existing === undefined) params.push(param);
        else if (existing !== param.value)
          throw changedParamError(runId, param.key, existing, param.value);
      }
      for (const param of params)
        await this.#writeKeyFile(folder, 'params', param.key, param.value);
      let renamed: string | undefined;
      for (const tag of batch.tags ?? []) {
        await this.#writeKeyFile(folder, 'tags', tag.key, tag.value);
        if (tag.key === 'mlflow.runName') renamed = tag.value;
      }
      if (renamed !== undefined && renamed !== info.runName) {
        await writeFileAtomic(
          join(folder, 'meta.yaml'),
          runMetaYaml({ ...info, runName: renamed }),
        );
      }
      const lines = new Map<string, string>();
      for (const metric of batch.metrics ?? []) {
        lines.set(
          metric.key,
          `${lines.get(metric.key) ?? ''}${metric.timestamp} ${pythonFloat(metric.value)} ${metric.step}\n`,
        );
      }
      for (const [key, text] of lines) {
        const file = join(folder, 'metrics', ...key.split('/'));
        if (key.includes('/')) await mkdir(join(file, '..'), { recursive: true });
        // One append of whole lines: never a partial line, never an empty file.
        await appendFile(file, text);
      }
    });
  }

  async searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult> {
    const clauses = parseFilter(options.filter);
    const viewType = options.viewType ?? 'ACTIVE_ONLY';
    const runs: Run[] = [];
    for (const experimentId of options.experimentIds) {
      const experimentFolder = await this.#experimentFolder(experimentId);
      if (!experimentFolder) continue;
      for (const { folder, info } of await this.#listRunInfos(experimentFolder, experimentId)) {
        const visible =
          viewType === 'ALL' ||
          (viewType === 'ACTIVE_ONLY'
            ? info.lifecycleStage === 'active'
            : info.lifecycleStage === 'deleted');
        if (!visible) continue;
        const data = await this.#readRunData(folder, info);
        const run = { info: publicInfo(info), data };
        if (matchesFilter(run, clauses)) runs.push(run);
      }
    }
    const sorted = sortRuns(runs, options.orderBy);
    const offset = options.pageToken ? decodePageToken(options.pageToken) : 0;
    const maxResults = options.maxResults ?? 1000;
    const page = sorted.slice(offset, offset + maxResults);
    return offset + maxResults < sorted.length
      ? {
          runs: page,
          nextPageToken: Buffer.from(JSON.stringify({ offset: offset + maxResults })).toString(
            'base64',
          ),
        }
      : { runs: page };
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const { folder } = await this.#readRunInfo(runId);
    const file = join(folder, 'metrics', ...key.split('/'));
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return [];
    const points = parseMetricFile(key, text);
    if (typeof points === 'string') throw corrupt(file, points);
    return points;
  }

  async recordLoggedModel(runId: string, entry: LoggedModelEntry): Promise<void> {
    await this.#locked(runId, async () => {
      const { folder } = await this.#readRunInfo(runId);
      const file = join(folder, 'tags', 'mlflow.log-model.history');
      const current = await readFile(file, 'utf8').catch(() => undefined);
      let history: unknown[] = [];
      if (current !== undefined) {
        try {
          history = JSON.parse(current) as unknown[];
        } catch (error) {
          throw new MlflowError({
            code: 'CORRUPT_STORE',
            message: `${file} is not a JSON list`,
            cause: error,
          });
        }
      }
      history.push(entry);
      await this.#writeKeyFile(
        folder,
        'tags',
        'mlflow.log-model.history',
        pythonJsonDumps(history),
      );
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

  async listArtifacts(run: RunInfo, path?: string): Promise<FileInfo[]> {
    return listLocalArtifacts(artifactRoot(run), path);
  }

  async readArtifact(run: RunInfo, path: string): Promise<Uint8Array> {
    return readLocalArtifact(artifactRoot(run), path);
  }

  async flush(): Promise<void> {}

  // ── internals ────────────────────────────────────────────────────────────

  /** SPEC §2.9.7: a new `mlruns/` gets `.trash/` and the Default experiment `0`. */
  #ensureRoot(): Promise<void> {
    this.#ready ??= (async () => {
      if (await exists(join(this.root, '0', 'meta.yaml'))) return;
      const fresh = !(await exists(this.root));
      await mkdir(join(this.root, TRASH), { recursive: true });
      if (!fresh) return;
      const folder = join(this.root, '0');
      await mkdir(folder, { recursive: true });
      const now = Date.now();
      await writeFileAtomic(
        join(folder, 'meta.yaml'),
        experimentMetaYaml({
          experimentId: '0',
          name: 'Default',
          artifactLocation: fileUri(folder),
          lifecycleStage: 'active',
          creationTime: now,
          lastUpdateTime: now,
        }),
      );
    })();
    return this.#ready;
  }

  async #listExperiments(): Promise<Experiment[]> {
    const experiments: Experiment[] = [];
    for (const base of [this.root, join(this.root, TRASH)]) {
      const entries = await readdir(base, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isDirectory() || (base === this.root && ROOT_RESERVED.has(entry.name))) continue;
        const experiment = await this.#readExperiment(join(base, entry.name), entry.name);
        if (experiment) experiments.push(experiment);
      }
    }
    return experiments;
  }

  async #readExperiment(folder: string, experimentId: string): Promise<Experiment | undefined> {
    const file = join(folder, 'meta.yaml');
    const meta = unwrap(
      readExperimentMeta(await readFile(file, 'utf8').catch(() => undefined), experimentId),
      file,
    );
    if (!meta) return undefined;
    const tags = await readKeyFiles(join(folder, 'tags'));
    return { ...meta, tags: tags.map(([key, value]) => ({ key, value })) };
  }

  async #experimentFolder(experimentId: string): Promise<string | undefined> {
    if (!/^[a-zA-Z0-9][\w-]{0,63}$/.test(experimentId)) return undefined;
    for (const base of [this.root, join(this.root, TRASH)]) {
      const folder = join(base, experimentId);
      if (await exists(folder)) return folder;
    }
    return undefined;
  }

  async #listRunInfos(
    experimentFolder: string,
    experimentId: string,
  ): Promise<{ folder: string; info: StoredRunInfo }[]> {
    const entries = await readdir(experimentFolder, { withFileTypes: true }).catch(() => []);
    const runs = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || EXPERIMENT_RESERVED.has(entry.name)) continue;
      const folder = join(experimentFolder, entry.name);
      const file = join(folder, 'meta.yaml');
      const info = unwrap(
        readRunMeta(await readFile(file, 'utf8').catch(() => undefined), {
          runId: entry.name,
          experimentId,
        }),
        file,
      );
      if (info) runs.push({ folder, info });
    }
    return runs;
  }

  async #readRunInfo(runId: string): Promise<{ folder: string; info: StoredRunInfo }> {
    if (!/^[a-zA-Z0-9][\w-]{0,255}$/.test(runId)) throw notFound(`Run '${runId}' not found`);
    let folder = this.#runFolders.get(runId);
    if (!folder) {
      for (const base of [this.root, join(this.root, TRASH)]) {
        const entries = await readdir(base, { withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
          if (!entry.isDirectory() || (base === this.root && ROOT_RESERVED.has(entry.name)))
            continue;
          if (await exists(join(base, entry.name, runId, 'meta.yaml')))
            folder = join(base, entry.name, runId);
        }
      }
    }
    if (!folder) throw notFound(`Run '${runId}' not found`);
    this.#runFolders.set(runId, folder);
    const file = join(folder, 'meta.yaml');
    const experimentId = join(folder, '..').split(/[\\/]/).pop()!;
    const verdict = readRunMeta(await readFile(file, 'utf8').catch(() => undefined), {
      runId,
      experimentId,
    });
    const info = unwrap(verdict, file);
    if (!info)
      throw new MlflowError({
        code: 'INVALID_STATE',
        status: 500,
        message: `Run '${runId}' metadata is in invalid state: ${verdict.kind === 'skip' ? verdict.reason : ''}`,
      });
    return { folder, info };
  }

  async #readRunData(folder: string, info: StoredRunInfo): Promise<RunData> {
    const metrics: Metric[] = [];
    for (const [key, text] of await readKeyFiles(join(folder, 'metrics'))) {
      const points = parseMetricFile(key, text);
      if (typeof points === 'string') throw corrupt(join(folder, 'metrics', key), points);
      metrics.push(latestMetric(points));
    }
    const params = (await readKeyFiles(join(folder, 'params'))).map(([key, value]) => ({
      key,
      value,
    }));
    const tags = (await readKeyFiles(join(folder, 'tags'))).map(([key, value]) => ({ key, value }));
    if (!info.runName) {
      const nameTag = tags.find((tag) => tag.key === 'mlflow.runName');
      if (nameTag) info.runName = nameTag.value;
    }
    return { metrics, params, tags };
  }

  /** Writes `<folder>/<kind>/<key>` atomically, the temporary file in `folder` itself. */
  async #writeKeyFile(
    folder: string,
    kind: 'params' | 'tags',
    key: string,
    value: string,
  ): Promise<void> {
    await writeFileAtomic(join(folder, kind, ...key.split('/')), value, { tempDir: folder });
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

  /** Holds `<root>/.heart-experiments.lock` (a file, which MLflow ignores) while `work` runs. */
  async #withExperimentLock<T>(work: () => Promise<T>): Promise<T> {
    const lock = join(this.root, LOCK_FILE);
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const handle = await open(lock, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const info = await stat(lock).catch(() => undefined);
        const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
        if (
          info &&
          (Date.now() - info.mtimeMs > LOCK_STALE_MS || (owner > 0 && !processAlive(owner)))
        ) {
          await unlink(lock).catch(() => undefined);
          continue;
        }
        if (Date.now() > deadline) {
          throw new MlflowError({
            code: 'RESOURCE_CONFLICT',
            message: `${lock} is held by another process; remove it if no MLflow writer runs`,
          });
        }
        await new Promise((done) => setTimeout(done, 10 + Math.random() * 20));
      }
    }
    try {
      return await work();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }
}

/** Whether a process with this id runs on this machine (a killed lock holder does not). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function publicInfo(info: StoredRunInfo): RunInfo {
  const { deletedTime: _, ...rest } = info;
  return { ...rest };
}

function artifactRoot(run: RunInfo): string {
  const root = localArtifactRoot(run.artifactUri);
  if (!root) {
    throw new MlflowError({
      code: 'UNSUPPORTED_URI',
      message: `run ${run.runId} stores artifacts at ${run.artifactUri}, which is not a local path or file: URI`,
    });
  }
  return root;
}

/** Every key file below `folder` as `[key, content]`. */
async function readKeyFiles(folder: string): Promise<[string, string][]> {
  return Promise.all(
    (await listKeyFiles(folder)).map(
      async ([key, path]): Promise<[string, string]> => [key, await readFile(path, 'utf8')],
    ),
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function notFound(message: string): MlflowError {
  return new MlflowError({ code: 'RESOURCE_DOES_NOT_EXIST', status: 404, message });
}

function corrupt(file: string, reason: string): MlflowError {
  return new MlflowError({
    code: 'CORRUPT_STORE',
    endpoint: file,
    message: `${file}: ${reason} (MLflow cannot read this store until it is fixed or removed)`,
  });
}

function decodePageToken(token: string): number {
  try {
    const offset = (
      JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: unknown }
    ).offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {}
  throw invalidParameter(`Invalid page token ${JSON.stringify(token)}`);
}
