import { ActiveRun } from './active-run.js';
import { RunArtifacts } from './artifacts/run-artifacts.js';
import { invalidParameter } from './errors.js';
import type { LoggedModel, LogModelOptions } from './log-model.js';
import { checkClientOptions, openTrackingStore } from './open-tracking-store.js';
import { ModelRegistry } from './registry/model-registry.js';
import { setExperiment } from './set-experiment.js';
import { defaultExperimentName, startRunRequest } from './start-run-request.js';
import type {
  LoggableValue,
  MetricOptions,
  StartRunOptions,
  TrackingClientOptions,
} from './tracking-client-options.js';
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
  assertRequired,
  checkSearchRuns,
  entriesOf,
  normaliseBatch,
  normaliseExperimentTag,
} from './validation.js';

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
  return new TrackingClient(options);
}

/**
 * The tracking API, one shape for every backend: experiments, runs, params, metrics, tags,
 * artifacts, models, and reading them back. Everything is validated as MLflow validates it before
 * anything is written. Made by {@link createTrackingClient} (the same as `new TrackingClient(options)`).
 */
export class TrackingClient {
  /** The model registry of the same store and transport: {@link ModelRegistry}. */
  readonly registry: ModelRegistry;
  readonly #store: TrackingStore;
  readonly #env: Record<string, string | undefined>;
  readonly #runInfos = new Map<string, RunInfo>();
  readonly #artifacts: RunArtifacts;

  constructor(options: TrackingClientOptions = {}) {
    const settings = checkClientOptions(options);
    const env = settings.env ?? process.env;
    this.#store = openTrackingStore({ ...settings, env });
    this.#env = env;
    this.#artifacts = new RunArtifacts(this.#store, (runId) => this.#runInfo(runId));
    this.registry = new ModelRegistry(this.#store, env);
  }

  /**
   * The tracking URI in use, resolved (option, else `MLFLOW_TRACKING_URI`, else `./mlruns`) and
   * normalised: `file:///…/mlruns` for the file store, the server URL without credentials.
   */
  get trackingUri(): string {
    return this.#store.uri;
  }

  /**
   * The experiment MLflow's environment names: `MLFLOW_EXPERIMENT_NAME`, or `undefined` when it is
   * unset or empty. `startRun` falls back to it when given no experiment.
   *
   * @example
   * ```ts
   * const experiment = await client.setExperiment(client.defaultExperimentName ?? 'heart-disease-mlops');
   * ```
   */
  get defaultExperimentName(): string | undefined {
    return defaultExperimentName(this.#env);
  }

  // ── experiments ──────────────────────────────────────────────────────────

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    assertRequired(name, 'experiment_name');
    return this.#store.getExperimentByName(name);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    assertRequired(experimentId, 'experiment_id');
    return this.#store.getExperiment(experimentId);
  }

  /** Creates an experiment; `RESOURCE_ALREADY_EXISTS` when the name is taken. */
  createExperiment(
    name: string,
    options: { tags?: Readonly<Record<string, string>> } = {},
  ): Promise<string> {
    const tags = Object.entries(options.tags ?? {}).map(([key, value]) =>
      normaliseExperimentTag(key, value),
    );
    return this.#store.createExperiment(name, tags);
  }

  /** Gets the experiment called `name`, creating it when absent — `mlflow.set_experiment`. */
  setExperiment(name: string): Promise<Experiment> {
    return setExperiment(this.#store, name);
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    assertRequired(experimentId, 'experiment_id');
    const tag = normaliseExperimentTag(key, value);
    await this.#store.setExperimentTag(experimentId, tag.key, tag.value);
  }

  // ── runs ─────────────────────────────────────────────────────────────────

  /**
   * Starts a run with the system tags MLflow's Python client sets (`mlflow.user`,
   * `mlflow.source.name`, `mlflow.source.type`, `mlflow.runName`, and `mlflow.source.git.commit`
   * inside a git work tree).
   */
  async startRun(options: StartRunOptions | null = {}): Promise<ActiveRun> {
    const request = await startRunRequest(this.#store, options ?? {}, this.#env);
    const run = await this.#store.createRun(request);
    this.#runInfos.set(run.info.runId, run.info);
    return new ActiveRun(this, run.info);
  }

  /**
   * Runs `fn` inside a run: ends it `FINISHED` when `fn` resolves, `FAILED` when it throws (and
   * rethrows) — MLflow's `with mlflow.start_run():`.
   */
  async withRun<T>(options: StartRunOptions, fn: (run: ActiveRun) => Promise<T>): Promise<T> {
    const run = await this.startRun(options);
    const result = await (async () => fn(run))().catch(async (error: unknown) => {
      await this.endRun(run.runId, 'FAILED').catch(() => undefined);
      throw error;
    });
    await this.endRun(run.runId, 'FINISHED');
    return result;
  }

  /** Ends a run: flushes buffered data, then records the status and end time. */
  async endRun(runId: string, status: RunStatus = 'FINISHED'): Promise<RunInfo> {
    assertRequired(runId, 'run_id');
    if (!['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'].includes(status))
      throw invalidParameter(`Unknown run status ${JSON.stringify(status)}`);
    await this.#store.flush();
    const info = await this.#store.updateRun(runId, { status, endTime: Date.now() });
    this.#runInfos.set(runId, info);
    return info;
  }

  async getRun(runId: string): Promise<Run> {
    assertRequired(runId, 'run_id');
    const run = await this.#store.getRun(runId);
    this.#runInfos.set(runId, run.info);
    return run;
  }

  async searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult> {
    return this.#store.searchRuns(checkSearchRuns(options));
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    assertRequired(runId, 'run_id');
    assertRequired(key, 'metric_key');
    await this.#store.flush();
    return this.#store.getMetricHistory(runId, key);
  }

  async deleteRun(runId: string): Promise<void> {
    assertRequired(runId, 'run_id');
    return this.#store.deleteRun(runId);
  }

  // ── params, metrics, tags ────────────────────────────────────────────────

  logParam(runId: string, key: string, value: LoggableValue): Promise<void> {
    return this.logBatch(runId, { params: [{ key, value: value as string }] });
  }

  async logParams(runId: string, params: Readonly<Record<string, LoggableValue>>): Promise<void> {
    return this.logBatch(runId, {
      params: entriesOf(params, 'logParams: params').map(([key, value]) => ({
        key,
        value: value as string,
      })),
    });
  }

  logMetric(runId: string, key: string, value: number, options: MetricOptions = {}): Promise<void> {
    return this.logBatch(runId, {
      metrics: [
        { key, value, step: options?.step ?? 0, timestamp: options?.timestamp ?? Date.now() },
      ],
    });
  }

  async logMetrics(
    runId: string,
    metrics: Readonly<Record<string, number>>,
    options: MetricOptions = {},
  ): Promise<void> {
    const timestamp = options?.timestamp ?? Date.now();
    const step = options?.step ?? 0;
    return this.logBatch(runId, {
      metrics: entriesOf(metrics, 'logMetrics: metrics').map(([key, value]) => ({
        key,
        value,
        step,
        timestamp,
      })),
    });
  }

  setTag(runId: string, key: string, value: LoggableValue): Promise<void> {
    return this.logBatch(runId, { tags: [{ key, value: value as string }] });
  }

  async setTags(runId: string, tags: Readonly<Record<string, LoggableValue>>): Promise<void> {
    return this.logBatch(runId, {
      tags: entriesOf(tags, 'setTags: tags').map(([key, value]) => ({
        key,
        value: value as string,
      })),
    });
  }

  /** Validates everything first (keys, values, duplicates): a refused batch writes nothing. */
  async logBatch(
    runId: string,
    batch: { metrics?: Metric[]; params?: Param[]; tags?: RunTag[] },
  ): Promise<void> {
    const { metrics, params, tags } = normaliseBatch(batch);
    if (params.length + tags.length + metrics.length === 0) return;
    await this.#store.logBatch(runId, { metrics, params, tags });
  }

  // ── artifacts ────────────────────────────────────────────────────────────

  /** Copies a local file to `<artifacts>/<artifactPath>/<file name>`. */
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    return this.#artifacts.logArtifact(runId, localPath, artifactPath);
  }

  /** Copies a local folder's contents (recursively) under `<artifacts>/<artifactPath>/`. */
  logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void> {
    return this.#artifacts.logArtifacts(runId, localDir, artifactPath);
  }

  /** Saves text as an artifact file (`mlflow.log_text`). */
  logText(runId: string, text: string, artifactFile: string): Promise<void> {
    return this.#artifacts.logText(runId, text, artifactFile);
  }

  /** Saves a dictionary as JSON (2-space indent) or, for `.yaml`/`.yml`, YAML (`mlflow.log_dict`). */
  logDict(runId: string, dictionary: unknown, artifactFile: string): Promise<void> {
    return this.#artifacts.logDict(runId, dictionary, artifactFile);
  }

  /** Saves image bytes (PNG, SVG, …) as an artifact file (`mlflow.log_image` with encoded bytes). */
  logImage(runId: string, image: Uint8Array, artifactFile: string): Promise<void> {
    return this.#artifacts.logImage(runId, image, artifactFile);
  }

  /**
   * Logs a model folder (SPEC §5): the model's files, `input_example.json` and
   * `serving_input_example.json`, an `MLmodel` with flavor, signature and uuid; then records it in
   * the run's `mlflow.log-model.history` (file store) or with `runs/log-model` (server).
   */
  logModel(runId: string, options: LogModelOptions): Promise<LoggedModel> {
    return this.#artifacts.logModel(runId, options);
  }

  /** Lists one level of a run's artifacts. */
  listArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
    return this.#artifacts.listArtifacts(runId, path);
  }

  /** Reads one artifact file's bytes. */
  readArtifact(runId: string, path: string): Promise<Uint8Array> {
    return this.#artifacts.readArtifact(runId, path);
  }

  /**
   * Copies an artifact file or folder (recursively) into `destination`; returns the local path of
   * what was downloaded.
   */
  downloadArtifacts(runId: string, path: string, destination: string): Promise<string> {
    return this.#artifacts.downloadArtifacts(runId, path, destination);
  }

  /** Sends anything buffered (REST metric buffering); a no-op for the file store. */
  flush(): Promise<void> {
    return this.#store.flush();
  }

  /** Flushes and releases the backend's connections; call when done with a REST client. */
  async close(): Promise<void> {
    if (this.#store.close) await this.#store.close();
    else await this.#store.flush();
  }

  async #runInfo(runId: string): Promise<RunInfo> {
    const cached = this.#runInfos.get(runId);
    if (cached) return cached;
    return (await this.getRun(runId)).info;
  }
}
