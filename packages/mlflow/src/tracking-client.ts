import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidParameter, MlflowError } from './errors.js';
import { FileStore } from './file-store/file-store.js';
import { checkArtifactPath } from './file-store/local-artifacts.js';
import { defaultRunName } from './internal/ids.js';
import { currentUser, gitCommit, sourceName } from './internal/system-tags.js';
import { toYaml } from './internal/yaml.js';
import { buildModelFolder, type LoggedModel, type LogModelOptions } from './log-model.js';
import type { RestStoreOptions } from './rest/config.js';
import { RestStore } from './rest/rest-store.js';
import type { TrackingStore } from './tracking-store.js';
import type {
  Experiment,
  FileInfo,
  Metric,
  Param,
  Run,
  RunInfo,
  RunStatus,
  RunTag,
  SearchRunsOptions,
  SearchRunsResult,
} from './types.js';
import {
  assertUniqueParams,
  LIMITS,
  normaliseParam,
  normaliseTag,
  validateKey,
  validateMetric,
} from './validation.js';

/** A value params and tags accept: stringified as MLflow does. */
export type LoggableValue = string | number | boolean;

/** Options for {@link createTrackingClient}. */
export interface TrackingClientOptions {
  /**
   * Where runs go: a path or `file:` URI (MLflow's file store) or `http(s)://` (a tracking server).
   * Default: `env.MLFLOW_TRACKING_URI`, else `./mlruns`.
   */
  trackingUri?: string;
  /** Folder relative paths resolve against. Default `process.cwd()`. */
  cwd?: string;
  /** Environment (`MLFLOW_*`, user). Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** A ready backend instead of one built from the URI (tests, custom stores). */
  store?: TrackingStore;
  /** Options of the REST backend (`http(s)://` URIs): retries, timeouts, `fetch`, buffering. */
  rest?: Omit<RestStoreOptions, 'env'>;
}

/** Options for `startRun`. */
export interface StartRunOptions {
  /** Experiment to log into; else `experimentName`; else `MLFLOW_EXPERIMENT_ID`/`_NAME`; else Default (`0`). */
  experimentId?: string;
  /** Got or created, as `mlflow.set_experiment`. */
  experimentName?: string;
  /** Default: MLflow-style `adjective-noun-123`. */
  runName?: string;
  tags?: Readonly<Record<string, LoggableValue>>;
  startTime?: number;
}

/** Options of the metric loggers. */
export interface MetricOptions {
  /** Default 0. */
  step?: number;
  /** Epoch ms. Default now. */
  timestamp?: number;
}

/** Where MLflow would track: the option, else `MLFLOW_TRACKING_URI`, else `./mlruns`. */
export function resolveTrackingUri(
  options: { trackingUri?: string; env?: Record<string, string | undefined> } = {},
): string {
  const env = options.env ?? process.env;
  return options.trackingUri || env.MLFLOW_TRACKING_URI || './mlruns';
}

/**
 * Creates a tracking client. The URI resolves as MLflow resolves it (option, `MLFLOW_TRACKING_URI`,
 * `./mlruns`); paths and `file:` URIs use the local file store, `http(s):` a tracking server.
 *
 * @example
 * ```ts
 * const client = createTrackingClient(); // ./mlruns
 * const experiment = await client.setExperiment('heart-disease-mlops');
 * await client.withRun({ experimentId: experiment.experimentId, runName: 'random-forest' }, async (run) => {
 *   await run.logParams({ n_estimators: 100 });
 *   await run.logMetric('roc_auc', 0.94);
 * });
 * ```
 */
export function createTrackingClient(options: TrackingClientOptions = {}): TrackingClient {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const uri = resolveTrackingUri({ trackingUri: options.trackingUri, env });
  let store = options.store;
  if (!store) {
    if (/^https?:\/\//i.test(uri)) {
      store = new RestStore(uri, { ...options.rest, env });
    } else if (/^file:/i.test(uri)) {
      store = new FileStore(fileURLToPath(uri));
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) {
      throw new MlflowError({
        code: 'UNSUPPORTED_URI',
        message: `tracking URI ${uri}: use a path, a file: URI or an http(s):// tracking server (databricks, sqlite and other schemes need an MLflow server in front)`,
      });
    } else {
      store = new FileStore(resolve(cwd, uri));
    }
  }
  return new TrackingClient(store, env);
}

/** A run in progress: the client's run methods with the run id bound. */
export class ActiveRun {
  readonly info: RunInfo;
  readonly #client: TrackingClient;

  constructor(client: TrackingClient, info: RunInfo) {
    this.#client = client;
    this.info = info;
  }

  get runId(): string {
    return this.info.runId;
  }

  logParam(key: string, value: LoggableValue) {
    return this.#client.logParam(this.runId, key, value);
  }
  logParams(params: Readonly<Record<string, LoggableValue>>) {
    return this.#client.logParams(this.runId, params);
  }
  logMetric(key: string, value: number, options?: MetricOptions) {
    return this.#client.logMetric(this.runId, key, value, options);
  }
  logMetrics(metrics: Readonly<Record<string, number>>, options?: MetricOptions) {
    return this.#client.logMetrics(this.runId, metrics, options);
  }
  setTag(key: string, value: LoggableValue) {
    return this.#client.setTag(this.runId, key, value);
  }
  setTags(tags: Readonly<Record<string, LoggableValue>>) {
    return this.#client.setTags(this.runId, tags);
  }
  logBatch(batch: { metrics?: Metric[]; params?: Param[]; tags?: RunTag[] }) {
    return this.#client.logBatch(this.runId, batch);
  }
  logArtifact(localPath: string, artifactPath?: string) {
    return this.#client.logArtifact(this.runId, localPath, artifactPath);
  }
  logArtifacts(localDir: string, artifactPath?: string) {
    return this.#client.logArtifacts(this.runId, localDir, artifactPath);
  }
  logText(text: string, artifactFile: string) {
    return this.#client.logText(this.runId, text, artifactFile);
  }
  logDict(dictionary: unknown, artifactFile: string) {
    return this.#client.logDict(this.runId, dictionary, artifactFile);
  }
  logImage(image: Uint8Array, artifactFile: string) {
    return this.#client.logImage(this.runId, image, artifactFile);
  }
  logModel(options: LogModelOptions) {
    return this.#client.logModel(this.runId, options);
  }
  end(status: RunStatus = 'FINISHED') {
    return this.#client.endRun(this.runId, status);
  }
}

/**
 * The tracking API, one shape for every backend: experiments, runs, params, metrics, tags,
 * artifacts, models, and reading them back. Everything is validated as MLflow validates it before
 * anything is written.
 */
export class TrackingClient {
  readonly store: TrackingStore;
  readonly #env: Record<string, string | undefined>;
  readonly #runInfos = new Map<string, RunInfo>();

  constructor(store: TrackingStore, env: Record<string, string | undefined> = process.env) {
    this.store = store;
    this.#env = env;
  }

  /** The backend's URI (`file:///…/mlruns` or the server URL). */
  get trackingUri(): string {
    return this.store.uri;
  }

  // ── experiments ──────────────────────────────────────────────────────────

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.store.getExperimentByName(name);
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.store.getExperiment(experimentId);
  }

  /** Creates an experiment; `RESOURCE_ALREADY_EXISTS` when the name is taken. */
  createExperiment(
    name: string,
    options: { tags?: Readonly<Record<string, string>> } = {},
  ): Promise<string> {
    const tags = Object.entries(options.tags ?? {}).map(([key, value]) =>
      experimentTag(key, value),
    );
    return this.store.createExperiment(name, tags);
  }

  /** Gets the experiment called `name`, creating it when absent — `mlflow.set_experiment`. */
  async setExperiment(name: string): Promise<Experiment> {
    let experiment = await this.store.getExperimentByName(name);
    if (!experiment) {
      // As MLflow's client: get-by-name, create, get by id.
      try {
        experiment = await this.store.getExperiment(await this.store.createExperiment(name));
      } catch (error) {
        // Another process created it meanwhile: use theirs.
        if (!(error instanceof MlflowError && error.code === 'RESOURCE_ALREADY_EXISTS'))
          throw error;
        experiment = await this.store.getExperimentByName(name);
      }
    }
    if (!experiment)
      throw new MlflowError({
        code: 'INTERNAL_ERROR',
        message: `experiment '${name}' vanished after creation`,
      });
    if (experiment.lifecycleStage === 'deleted') {
      throw new MlflowError({
        code: 'INVALID_PARAMETER_VALUE',
        message: `Cannot set a deleted experiment '${name}' as the active experiment. You can restore the experiment, or permanently delete the experiment to create a new one.`,
      });
    }
    return experiment;
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    const tag = experimentTag(key, value);
    await this.store.setExperimentTag(experimentId, tag.key, tag.value);
  }

  // ── runs ─────────────────────────────────────────────────────────────────

  /**
   * Starts a run with the system tags MLflow's Python client sets (`mlflow.user`,
   * `mlflow.source.name`, `mlflow.source.type`, `mlflow.runName`, and `mlflow.source.git.commit`
   * inside a git work tree).
   */
  async startRun(options: StartRunOptions = {}): Promise<ActiveRun> {
    let experimentId = options.experimentId ?? this.#env.MLFLOW_EXPERIMENT_ID;
    const experimentName =
      options.experimentName ?? (experimentId ? undefined : this.#env.MLFLOW_EXPERIMENT_NAME);
    if (!experimentId && experimentName)
      experimentId = (await this.setExperiment(experimentName)).experimentId;
    experimentId ??= '0';
    const runName = options.runName ?? defaultRunName();
    const user = this.#env.MLFLOW_TRACKING_USERNAME || currentUser(this.#env);
    const source = sourceName();
    const commit = gitCommit(source !== '<console>' ? dirname(resolve(source)) : process.cwd());
    const system: Record<string, string> = {
      'mlflow.user': user,
      'mlflow.source.name': source,
      'mlflow.source.type': 'LOCAL',
      ...(commit ? { 'mlflow.source.git.commit': commit } : {}),
    };
    const tags = [
      ...Object.entries({ ...system, ...(options.tags ?? {}) }).map(([key, value]) =>
        normaliseTag(key, value),
      ),
      normaliseTag('mlflow.runName', runName),
    ];
    const run = await this.store.createRun({
      experimentId,
      userId: user,
      runName,
      startTime: options.startTime ?? Date.now(),
      tags,
    });
    this.#runInfos.set(run.info.runId, run.info);
    return new ActiveRun(this, run.info);
  }

  /**
   * Runs `fn` inside a run: ends it `FINISHED` when `fn` resolves, `FAILED` when it throws (and
   * rethrows) — MLflow's `with mlflow.start_run():`.
   */
  async withRun<T>(options: StartRunOptions, fn: (run: ActiveRun) => Promise<T>): Promise<T> {
    const run = await this.startRun(options);
    let result: T;
    try {
      result = await fn(run);
    } catch (error) {
      await this.endRun(run.runId, 'FAILED').catch(() => undefined);
      throw error;
    }
    await this.endRun(run.runId, 'FINISHED');
    return result;
  }

  /** Ends a run: flushes buffered data, then records the status and end time. */
  async endRun(runId: string, status: RunStatus = 'FINISHED'): Promise<RunInfo> {
    if (!['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'].includes(status)) {
      throw invalidParameter(`Unknown run status ${JSON.stringify(status)}`);
    }
    await this.store.flush();
    const info = await this.store.updateRun(runId, { status, endTime: Date.now() });
    this.#runInfos.set(runId, info);
    return info;
  }

  async getRun(runId: string): Promise<Run> {
    const run = await this.store.getRun(runId);
    this.#runInfos.set(runId, run.info);
    return run;
  }

  searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult> {
    return this.store.searchRuns(options);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    await this.store.flush();
    return this.store.getMetricHistory(runId, key);
  }

  deleteRun(runId: string): Promise<void> {
    return this.store.deleteRun(runId);
  }

  // ── params, metrics, tags ────────────────────────────────────────────────

  logParam(runId: string, key: string, value: LoggableValue): Promise<void> {
    return this.logBatch(runId, { params: [{ key, value: value as string }] });
  }

  logParams(runId: string, params: Readonly<Record<string, LoggableValue>>): Promise<void> {
    return this.logBatch(runId, {
      params: Object.entries(params).map(([key, value]) => ({ key, value: value as string })),
    });
  }

  logMetric(runId: string, key: string, value: number, options: MetricOptions = {}): Promise<void> {
    return this.logBatch(runId, {
      metrics: [
        { key, value, step: options.step ?? 0, timestamp: options.timestamp ?? Date.now() },
      ],
    });
  }

  logMetrics(
    runId: string,
    metrics: Readonly<Record<string, number>>,
    options: MetricOptions = {},
  ): Promise<void> {
    const timestamp = options.timestamp ?? Date.now();
    return this.logBatch(runId, {
      metrics: Object.entries(metrics).map(([key, value]) => ({
        key,
        value,
        step: options.step ?? 0,
        timestamp,
      })),
    });
  }

  setTag(runId: string, key: string, value: LoggableValue): Promise<void> {
    return this.logBatch(runId, { tags: [{ key, value: value as string }] });
  }

  setTags(runId: string, tags: Readonly<Record<string, LoggableValue>>): Promise<void> {
    return this.logBatch(runId, {
      tags: Object.entries(tags).map(([key, value]) => ({ key, value: value as string })),
    });
  }

  /** Validates everything first (keys, values, duplicates): a refused batch writes nothing. */
  async logBatch(
    runId: string,
    batch: { metrics?: Metric[]; params?: Param[]; tags?: RunTag[] },
  ): Promise<void> {
    const params = (batch.params ?? []).map((param) => normaliseParam(param.key, param.value));
    assertUniqueParams(params);
    const tags = (batch.tags ?? []).map((tag) => normaliseTag(tag.key, tag.value));
    const metrics = (batch.metrics ?? []).map((metric) =>
      validateMetric({ ...metric, step: metric.step ?? 0 }),
    );
    if (params.length + tags.length + metrics.length === 0) return;
    await this.store.logBatch(runId, { metrics, params, tags });
  }

  // ── artifacts ────────────────────────────────────────────────────────────

  /** Copies a local file to `<artifacts>/<artifactPath>/<file name>`. */
  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    const info = await stat(localPath).catch(() => undefined);
    if (!info?.isFile()) throw invalidParameter(`logArtifact: ${localPath} is not a file`);
    await this.store.putArtifact(
      await this.#runInfo(runId),
      joinArtifactPath(artifactPath, basename(localPath)),
      {
        path: localPath,
      },
    );
  }

  /** Copies a local folder's contents (recursively) under `<artifacts>/<artifactPath>/`. */
  async logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void> {
    const run = await this.#runInfo(runId);
    // List everything first, then copy: a folder that contains the artifact store stays finite.
    const files: [string, string][] = [];
    const walk = async (dir: string, prefix: string | undefined): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
        throw invalidParameter(`logArtifacts: ${dir} is not a folder`);
      });
      for (const entry of entries) {
        const target = joinArtifactPath(prefix, entry.name);
        if (entry.isDirectory()) await walk(join(dir, entry.name), target);
        else if (entry.isFile()) files.push([target, join(dir, entry.name)]);
      }
    };
    await walk(localDir, artifactPath ? checkArtifactPath(artifactPath) : undefined);
    for (const [target, path] of files) await this.store.putArtifact(run, target, { path });
  }

  /** Saves text as an artifact file (`mlflow.log_text`). */
  async logText(runId: string, text: string, artifactFile: string): Promise<void> {
    await this.store.putArtifact(await this.#runInfo(runId), checkArtifactPath(artifactFile), {
      bytes: new TextEncoder().encode(text),
    });
  }

  /** Saves a dictionary as JSON (2-space indent) or, for `.yaml`/`.yml`, YAML (`mlflow.log_dict`). */
  async logDict(runId: string, dictionary: unknown, artifactFile: string): Promise<void> {
    const extension = extname(artifactFile).toLowerCase();
    const text =
      extension === '.yaml' || extension === '.yml'
        ? toYaml(dictionary, { sortKeys: false })
        : JSON.stringify(dictionary, null, 2);
    await this.logText(runId, text, artifactFile);
  }

  /** Saves image bytes (PNG, SVG, …) as an artifact file (`mlflow.log_image` with encoded bytes). */
  async logImage(runId: string, image: Uint8Array, artifactFile: string): Promise<void> {
    if (!(image instanceof Uint8Array))
      throw invalidParameter('logImage: image must be encoded bytes (a Uint8Array)');
    await this.store.putArtifact(await this.#runInfo(runId), checkArtifactPath(artifactFile), {
      bytes: image,
    });
  }

  /**
   * Logs a model folder (SPEC §5): the model's files, `input_example.json` and
   * `serving_input_example.json`, an `MLmodel` with flavor, signature and uuid; then records it in
   * the run's `mlflow.log-model.history` (file store) or with `runs/log-model` (server).
   */
  async logModel(runId: string, options: LogModelOptions): Promise<LoggedModel> {
    if (!options?.flavor?.name || !/^[\w.-]+$/.test(options.flavor.name)) {
      throw invalidParameter('logModel: flavor.name must be a simple identifier');
    }
    for (const name of Object.keys(options.files ?? {})) checkArtifactPath(name);
    const run = await this.#runInfo(runId);
    const built = buildModelFolder(runId, options);
    for (const [name, bytes] of built.files) {
      await this.store.putArtifact(run, posix.join(built.artifactPath, name), { bytes });
    }
    await this.store.recordLoggedModel(runId, built.entry);
    return {
      modelUuid: built.modelUuid,
      artifactPath: built.artifactPath,
      modelUri: `runs:/${runId}/${built.artifactPath}`,
      utcTimeCreated: built.utcTimeCreated,
      files: built.files.map(([name]) => name),
    };
  }

  /** Lists one level of a run's artifacts. */
  async listArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
    return this.store.listArtifacts(await this.#runInfo(runId), path);
  }

  /** Reads one artifact file's bytes. */
  async readArtifact(runId: string, path: string): Promise<Uint8Array> {
    return this.store.readArtifact(await this.#runInfo(runId), checkArtifactPath(path));
  }

  /**
   * Copies an artifact file or folder (recursively) into `destination`; returns the local path of
   * what was downloaded.
   */
  async downloadArtifacts(runId: string, path: string, destination: string): Promise<string> {
    const run = await this.#runInfo(runId);
    const relative = checkArtifactPath(path);
    const parent = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
    const siblings = await this.store.listArtifacts(run, parent);
    const entry = siblings.find((file) => file.path === relative);
    const target = join(destination, ...relative.split('/'));
    if (relative !== '' && !entry) {
      throw new MlflowError({
        code: 'RESOURCE_DOES_NOT_EXIST',
        status: 404,
        message: `artifact ${path} not found in run ${runId}`,
      });
    }
    if (relative === '' || entry?.isDir) {
      await mkdir(target, { recursive: true });
      for (const child of await this.store.listArtifacts(run, relative)) {
        await this.downloadArtifacts(runId, child.path, destination);
      }
      return target;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await this.store.readArtifact(run, relative));
    return target;
  }

  /** Sends anything buffered (REST metric buffering); a no-op for the file store. */
  flush(): Promise<void> {
    return this.store.flush();
  }

  /** Flushes and releases the backend's connections; call when done with a REST client. */
  async close(): Promise<void> {
    if (this.store.close) await this.store.close();
    else await this.store.flush();
  }

  async #runInfo(runId: string): Promise<RunInfo> {
    const cached = this.#runInfos.get(runId);
    if (cached) return cached;
    return (await this.getRun(runId)).info;
  }
}

function experimentTag(key: string, value: string): { key: string; value: string } {
  validateKey(key, 'tag');
  if (typeof value !== 'string' || Array.from(value).length > LIMITS.experimentTagValueLength) {
    throw invalidParameter(
      `Experiment tag '${key}': value must be a string of at most ${LIMITS.experimentTagValueLength} characters`,
    );
  }
  return { key, value };
}

function joinArtifactPath(artifactPath: string | undefined, name: string): string {
  return checkArtifactPath(artifactPath ? posix.join(checkArtifactPath(artifactPath), name) : name);
}
