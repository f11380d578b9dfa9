import { systemClock } from '@heart/internal';
import { createProxyFetch } from '@heart/internal/proxy-fetch';
import packageJson from '../../package.json' with { type: 'json' };
import { MlflowError } from '../errors.js';
import { nextPage } from '../internal/next-page.js';
import { pythonJsonDumps } from '../internal/python-format.js';
import { RestRegistry } from '../registry/rest-registry.js';
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
import { API } from './api-paths.js';
import { ArtifactRouter } from './artifact-router.js';
import { splitLogBatch } from './batching.js';
import { MetricBuffer } from './metric-buffer.js';
import { resolveRestConfig } from './rest-config.js';
import type { FetchLike, RestStoreOptions } from './rest-store-options.js';
import { ServerVersion } from './server-version.js';
import { Transport } from './transport.js';
import { TwinRuns } from './twin-runs.js';
import { parseExperiment, parseMetric, parseRun, parseRunInfo } from './wire.js';

const USER_AGENT = `heart-mlflow/${packageJson.version} node/${process.versions.node}`;

/**
 * MLflow's tracking server over REST (SPEC §3–§5), behind the same {@link TrackingStore} as the
 * file store. Calls and bodies follow MLflow's Python client; params, tags and metrics go through
 * `runs/log-batch`, split within MLflow's limits; metric points are buffered and sent in batches
 * (at 1000 points, after `metricFlushIntervalMs`, on `flush()`, before `endRun` and before any
 * read); artifacts go by the run's `artifact_uri` ({@link ArtifactRouter}); a retried
 * `runs/create` leaves no twin ({@link TwinRuns}). Every call retries as MLflow's client does,
 * within a per-attempt timeout and a total deadline.
 */
export class RestStore implements TrackingStore {
  /** The server URL, without credentials. */
  readonly uri: string;
  /** The server's model registry, on the same transport. */
  readonly registry: RestRegistry;
  readonly #transport: Transport;
  readonly #metrics: MetricBuffer;
  readonly #artifacts: ArtifactRouter;
  readonly #twins: TwinRuns;
  readonly #version: ServerVersion;
  readonly #agent: { close(): Promise<void> } | undefined;

  constructor(uri: string, options: RestStoreOptions = {}) {
    const config = resolveRestConfig(uri, options, USER_AGENT);
    this.uri = config.baseUrl;
    // Proxies from HTTP_PROXY / HTTPS_PROXY / NO_PROXY, as requests honours them for MLflow.
    const proxied = options.fetch
      ? undefined
      : createProxyFetch(options.env ?? process.env, config.tls);
    this.#agent = proxied;
    const fetchImpl: FetchLike = options.fetch ?? (proxied!.fetch as FetchLike);
    const clock = options.clock ?? systemClock;
    this.#transport = new Transport(config, fetchImpl, {
      clock,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
    this.#metrics = new MetricBuffer({
      send: (runId, metrics) => this.#sendBatch(runId, { metrics }),
      clock,
      flushSize: options.metricFlushSize ?? 1000,
      flushIntervalMs: options.metricFlushIntervalMs ?? 2000,
    });
    this.#artifacts = new ArtifactRouter(this.#transport, this.uri);
    this.registry = new RestRegistry(this.#transport);
    this.#twins = new TwinRuns(this.#transport);
    this.#version = new ServerVersion(this.#transport);
  }

  /** The HTTP transport (retries, timeouts, errors), for callers that make their own requests. */
  get transport(): Transport {
    return this.#transport;
  }

  // ── experiments ──────────────────────────────────────────────────────────

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const answer = await this.#transport.getJson('experiments/get-by-name', {
        experiment_name: name,
      });
      return parseExperiment(answer.experiment);
    } catch (error) {
      if (error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST')
        return undefined;
      throw error;
    }
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const answer = await this.#transport.getJson('experiments/get', {
      experiment_id: experimentId,
    });
    return parseExperiment(answer.experiment);
  }

  async createExperiment(name: string, tags: readonly ExperimentTag[] = []): Promise<string> {
    const answer = await this.#transport.postJson('experiments/create', {
      name,
      ...(tags.length > 0 ? { tags } : {}),
    });
    return String(answer.experiment_id);
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.#transport.postJson('experiments/set-experiment-tag', {
      experiment_id: experimentId,
      key,
      value,
    });
  }

  // ── runs ─────────────────────────────────────────────────────────────────

  /** `runs/create`, safe to retry (see {@link TwinRuns}). */
  createRun(request: CreateRunRequest): Promise<Run> {
    return this.#twins.createRun(request);
  }

  async updateRun(
    runId: string,
    update: { status: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    await this.#twins.deleteTwins(runId, update.status);
    const answer = await this.#transport.postJson('runs/update', {
      run_id: runId,
      run_uuid: runId,
      status: update.status,
      ...(update.endTime === undefined ? {} : { end_time: update.endTime }),
      ...(update.runName === undefined ? {} : { run_name: update.runName }),
    });
    return parseRunInfo(answer.run_info);
  }

  async getRun(runId: string): Promise<Run> {
    await this.flush();
    const answer = await this.#transport.getJson('runs/get', { run_uuid: runId, run_id: runId });
    return parseRun(answer.run);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.flush();
    await this.#transport.postJson('runs/delete', { run_id: runId });
  }

  async searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult> {
    await this.flush();
    const answer = await this.#transport.postJson('runs/search', {
      experiment_ids: options.experimentIds,
      filter: options.filter ?? '',
      run_view_type: options.viewType ?? 'ACTIVE_ONLY',
      max_results: options.maxResults ?? 1000,
      ...(options.orderBy && options.orderBy.length > 0 ? { order_by: options.orderBy } : {}),
      ...(options.pageToken ? { page_token: options.pageToken } : {}),
    });
    const runs = Array.isArray(answer.runs) ? answer.runs.map(parseRun) : [];
    return typeof answer.next_page_token === 'string' && answer.next_page_token !== ''
      ? { runs, nextPageToken: answer.next_page_token }
      : { runs };
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    await this.flush();
    const metrics: Metric[] = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    do {
      const answer = await this.#transport.getJson('metrics/get-history', {
        run_uuid: runId,
        run_id: runId,
        metric_key: key,
        max_results: '25000',
        page_token: pageToken,
      });
      if (Array.isArray(answer.metrics)) metrics.push(...answer.metrics.map(parseMetric));
      pageToken = nextPage(seen, answer.next_page_token, 'metrics/get-history');
    } while (pageToken);
    return metrics;
  }

  // ── params, metrics, tags ────────────────────────────────────────────────

  /**
   * Metrics alone are buffered; params and tags are sent at once (so a refused param fails the
   * call that logged it), topped up with the run's buffered metrics.
   */
  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    this.#metrics.throwBackgroundError();
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    if (params.length === 0 && tags.length === 0) {
      if (metrics.length === 0) return;
      this.#metrics.add(runId, metrics);
      if (this.#metrics.full) await this.flush();
      return;
    }
    const buffered = this.#metrics.take(runId);
    try {
      await this.#sendBatch(runId, {
        metrics: [...buffered, ...metrics],
        params: await this.#version.fitParams(params),
        tags,
      });
    } catch (error) {
      // Whatever was sent twice is harmless (MLflow keeps one copy of an identical point).
      this.#metrics.add(runId, buffered);
      throw error;
    }
  }

  /** Sends every buffered metric point. */
  flush(): Promise<void> {
    return this.#metrics.flush();
  }

  /** Flushes, then releases the HTTP connections. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.#metrics.detach();
      await this.#agent?.close();
    }
  }

  /** The server's MLflow version (`GET /version`, asked once; `undefined` if it does not say). */
  serverVersion(): Promise<string | undefined> {
    return this.#version.get();
  }

  // ── models ───────────────────────────────────────────────────────────────

  async recordLoggedModel(runId: string, entry: LoggedModelEntry): Promise<void> {
    try {
      await this.#transport.postJson('runs/log-model', {
        run_id: runId,
        model_json: pythonJsonDumps(entry),
      });
    } catch (error) {
      // Servers older than the endpoint: the model files are there, only the history tag is not.
      if (error instanceof MlflowError && error.code === 'ENDPOINT_NOT_FOUND') return;
      throw error;
    }
  }

  // ── artifacts ────────────────────────────────────────────────────────────

  putArtifact(
    run: RunInfo,
    artifactPath: string,
    source: { path: string } | { bytes: Uint8Array },
  ): Promise<void> {
    return this.#artifacts.put(run, artifactPath, source);
  }

  putArtifactFolder(run: RunInfo, artifactPath: string, files: ArtifactFiles): Promise<void> {
    return this.#artifacts.putFolder(run, artifactPath, files);
  }

  listArtifacts(run: ArtifactLocation, path = ''): Promise<FileInfo[]> {
    return this.#artifacts.list(run, path);
  }

  readArtifact(run: ArtifactLocation, path: string): Promise<Uint8Array> {
    return this.#artifacts.read(run, path);
  }

  // ── internals ────────────────────────────────────────────────────────────

  async #sendBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    for (const chunk of splitLogBatch(runId, batch)) {
      await this.#transport.call({
        method: 'POST',
        path: `${API}/runs/log-batch`,
        endpoint: 'runs/log-batch',
        json: chunk.json,
      });
    }
  }
}
