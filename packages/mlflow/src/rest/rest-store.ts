import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { type Clock, createProxyFetch, systemClock } from '@heart/internal';
import packageJson from '../../package.json' with { type: 'json' };
import { MlflowError } from '../errors.js';
import {
  checkArtifactPath,
  listLocalArtifacts,
  localArtifactRoot,
  putLocalArtifact,
  readLocalArtifact,
} from '../file-store/local-artifacts.js';
import { pythonJsonDumps } from '../internal/python-format.js';
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
  Param,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsOptions,
  SearchRunsResult,
} from '../types.js';
import { codePoints, truncateCodePoints } from '../validation.js';
import { splitLogBatch } from './batching.js';
import { type FetchLike, type RestStoreOptions, resolveRestConfig } from './config.js';
import { type CallOptions, Transport } from './transport.js';
import { parseExperiment, parseFiles, parseMetric, parseRun, parseRunInfo } from './wire.js';

/** The run tag that makes a retried `runs/create` safe: the client's id for the run it asked for. */
export const CLIENT_RUN_ID_TAG = 'heart.client_run_id';

const API = '/api/2.0/mlflow';
const ARTIFACTS_API = '/api/2.0/mlflow-artifacts/artifacts';
const USER_AGENT = `heart-mlflow/${packageJson.version} node/${process.versions.node}`;

/**
 * MLflow's tracking server over REST (SPEC §3–§5), behind the same {@link TrackingStore} as the
 * file store. Calls and bodies follow MLflow's Python client; params, tags and metrics go through
 * `runs/log-batch`, split within MLflow's limits; metric points are buffered and sent in batches
 * (at 1000 points, after `metricFlushIntervalMs`, on `flush()`, before `endRun` and before any
 * read); artifacts go by the run's `artifact_uri`: written directly for a local path or `file:`,
 * uploaded (streamed) through the server for `mlflow-artifacts:`. Every call retries as MLflow's
 * client does, within a per-attempt timeout and a total deadline.
 *
 * @example
 * ```ts
 * const client = createTrackingClient({ trackingUri: 'http://127.0.0.1:5000' });
 * ```
 */
export class RestStore implements TrackingStore {
  /** The server URL, without credentials. */
  readonly uri: string;
  readonly #transport: Transport;
  readonly #flushSize: number;
  readonly #flushIntervalMs: number;
  readonly #pending = new Map<string, Metric[]>();
  #pendingCount = 0;
  readonly #clock: Clock;
  #cancelTimer: (() => void) | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #backgroundError: unknown;
  #exitHook: (() => void) | undefined;
  #version: Promise<string | undefined> | undefined;
  readonly #agent: { close(): Promise<void> } | undefined;
  /** Runs whose `runs/create` was retried, so a late first attempt may have made a twin. */
  readonly #twins = new Map<string, { experimentId: string; clientRunId: string }>();

  constructor(uri: string, options: RestStoreOptions = {}) {
    const config = resolveRestConfig(uri, options, USER_AGENT);
    this.uri = config.baseUrl;
    this.#flushSize = options.metricFlushSize ?? 1000;
    this.#flushIntervalMs = options.metricFlushIntervalMs ?? 2000;
    // Proxies from HTTP_PROXY / HTTPS_PROXY / NO_PROXY, as requests honours them for MLflow.
    const proxied = options.fetch
      ? undefined
      : createProxyFetch(options.env ?? process.env, config.tls);
    this.#agent = proxied;
    const fetchImpl: FetchLike = options.fetch ?? (proxied!.fetch as FetchLike);
    this.#clock = options.clock ?? systemClock;
    this.#transport = new Transport(config, fetchImpl, {
      clock: this.#clock,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  // ── experiments ──────────────────────────────────────────────────────────

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const answer = await this.#get('experiments/get-by-name', { experiment_name: name });
      return parseExperiment(answer.experiment);
    } catch (error) {
      if (error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST')
        return undefined;
      throw error;
    }
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const answer = await this.#get('experiments/get', { experiment_id: experimentId });
    return parseExperiment(answer.experiment);
  }

  async createExperiment(name: string, tags: readonly ExperimentTag[] = []): Promise<string> {
    const answer = await this.#post('experiments/create', {
      name,
      ...(tags.length > 0 ? { tags } : {}),
    });
    return String(answer.experiment_id);
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.#post('experiments/set-experiment-tag', { experiment_id: experimentId, key, value });
  }

  // ── runs ─────────────────────────────────────────────────────────────────

  /**
   * `runs/create`, safe to retry: the run carries a client-generated id tag, and before a retry
   * the store looks for a run with that tag (the first attempt may have created it and lost the
   * answer). An attempt still in flight when the retry looked (it timed out on the way) can
   * create a twin later; ending the run deletes any twin. So a flaky network never leaves two
   * runs behind.
   */
  async createRun(request: CreateRunRequest): Promise<Run> {
    const clientRunId = randomUUID().replaceAll('-', '');
    let retried = false;
    const body = JSON.stringify({
      experiment_id: request.experimentId,
      user_id: request.userId,
      run_name: request.runName,
      start_time: request.startTime,
      tags: [...request.tags, { key: CLIENT_RUN_ID_TAG, value: clientRunId }],
    });
    const answer = await this.#call({
      method: 'POST',
      path: `${API}/runs/create`,
      endpoint: 'runs/create',
      json: body,
      beforeRetry: async () => {
        retried = true;
        const runs = await this.#runsTagged(request.experimentId, clientRunId);
        return runs.length > 0 ? { run: runs[0] } : undefined;
      },
    });
    const run = parseRun((answer as { run?: unknown }).run);
    // An attempt that timed out may still reach the server later and create a twin: ending the
    // run deletes any run that carries the same client id.
    if (retried)
      this.#twins.set(run.info.runId, { experimentId: request.experimentId, clientRunId });
    return run;
  }

  async #runsTagged(experimentId: string, clientRunId: string): Promise<unknown[]> {
    const found = (await this.#call({
      method: 'POST',
      path: `${API}/runs/search`,
      endpoint: 'runs/search',
      json: JSON.stringify({
        experiment_ids: [experimentId],
        filter: `tags.\`${CLIENT_RUN_ID_TAG}\` = '${clientRunId}'`,
        run_view_type: 'ACTIVE_ONLY',
        max_results: 100,
      }),
    })) as { runs?: unknown[] };
    return found.runs ?? [];
  }

  async updateRun(
    runId: string,
    update: { status: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    const twins = this.#twins.get(runId);
    if (twins && update.status !== 'RUNNING' && update.status !== 'SCHEDULED') {
      for (const twin of await this.#runsTagged(twins.experimentId, twins.clientRunId)) {
        const twinId = parseRun(twin).info.runId;
        if (twinId !== runId) await this.#post('runs/delete', { run_id: twinId });
      }
      this.#twins.delete(runId);
    }
    const answer = await this.#post('runs/update', {
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
    const answer = await this.#get('runs/get', { run_uuid: runId, run_id: runId });
    return parseRun(answer.run);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.flush();
    await this.#post('runs/delete', { run_id: runId });
  }

  async searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult> {
    await this.flush();
    const answer = await this.#post('runs/search', {
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
    let pageToken: string | undefined;
    do {
      const answer = await this.#get('metrics/get-history', {
        run_uuid: runId,
        run_id: runId,
        metric_key: key,
        max_results: '25000',
        page_token: pageToken,
      });
      if (Array.isArray(answer.metrics)) metrics.push(...answer.metrics.map(parseMetric));
      pageToken =
        typeof answer.next_page_token === 'string' && answer.next_page_token !== ''
          ? answer.next_page_token
          : undefined;
    } while (pageToken);
    return metrics;
  }

  // ── params, metrics, tags ────────────────────────────────────────────────

  /**
   * Metrics alone are buffered; params and tags are sent at once (so a refused param fails the
   * call that logged it), topped up with the run's buffered metrics.
   */
  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    this.#throwBackgroundError();
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    if (params.length === 0 && tags.length === 0) {
      if (metrics.length === 0) return;
      this.#buffer(runId, metrics);
      if (this.#pendingCount >= this.#flushSize) await this.flush();
      return;
    }
    const buffered = this.#take(runId);
    try {
      await this.#sendBatch(runId, {
        metrics: [...buffered, ...metrics],
        params: await this.#fitParams(params),
        tags,
      });
    } catch (error) {
      // Whatever was sent twice is harmless (MLflow keeps one copy of an identical point).
      this.#buffer(runId, buffered);
      throw error;
    }
  }

  /** Sends every buffered metric point. */
  flush(): Promise<void> {
    if (this.#cancelTimer) {
      this.#cancelTimer();
      this.#cancelTimer = undefined;
    }
    const send = async () => {
      for (const runId of [...this.#pending.keys()]) {
        const metrics = this.#take(runId);
        try {
          await this.#sendBatch(runId, { metrics });
        } catch (error) {
          this.#buffer(runId, metrics);
          throw error;
        }
      }
      // Everything a failed background flush held has now been delivered.
      this.#backgroundError = undefined;
    };
    this.#flushing = this.#flushing.then(send, send);
    return this.#flushing;
  }

  /** Flushes, then releases the HTTP connections. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      if (this.#exitHook) process.off('beforeExit', this.#exitHook);
      await this.#agent?.close();
    }
  }

  /** The server's MLflow version (`GET /version`, asked once; `undefined` if it does not say). */
  serverVersion(): Promise<string | undefined> {
    this.#version ??= this.#call({
      method: 'GET',
      path: '/version',
      endpoint: 'version',
      expect: 'text',
      maxRetries: 0,
      timeoutMs: 3000,
    }).then(
      (text) =>
        typeof text === 'string' && /^\d+\.\d+/.test(text.trim()) ? text.trim() : undefined,
      () => undefined,
    );
    return this.#version;
  }

  // ── models ───────────────────────────────────────────────────────────────

  async recordLoggedModel(runId: string, entry: LoggedModelEntry): Promise<void> {
    try {
      await this.#post('runs/log-model', { run_id: runId, model_json: pythonJsonDumps(entry) });
    } catch (error) {
      // Servers older than the endpoint: the model files are there, only the history tag is not.
      if (error instanceof MlflowError && error.code === 'ENDPOINT_NOT_FOUND') return;
      throw error;
    }
  }

  // ── artifacts ────────────────────────────────────────────────────────────

  async putArtifact(
    run: RunInfo,
    artifactPath: string,
    source: { path: string } | { bytes: Uint8Array },
  ): Promise<void> {
    const target = this.#artifactTarget(run);
    if (target.local) {
      await putLocalArtifact(target.local, artifactPath, source);
      return;
    }
    const relative = checkArtifactPath(artifactPath);
    const contentType = guessContentType(relative);
    let body: CallOptions['body'];
    if ('bytes' in source) {
      const bytes = source.bytes;
      body = () => ({ data: bytes, length: bytes.byteLength, contentType });
    } else {
      const info = await stat(source.path);
      // Streamed from disk on every attempt: a large model never sits in memory.
      body = () => ({
        data: Readable.toWeb(createReadStream(source.path)) as ReadableStream<Uint8Array>,
        length: info.size,
        contentType,
      });
    }
    await this.#call({
      method: 'PUT',
      path: `${target.proxyPath}/${encodePath(relative)}`,
      endpoint: `mlflow-artifacts PUT ${relative}`,
      baseUrl: target.baseUrl,
      body,
    });
  }

  async listArtifacts(run: RunInfo, path = ''): Promise<FileInfo[]> {
    const target = this.#artifactTarget(run);
    if (target.local) return listLocalArtifacts(target.local, path);
    const relative = path === '' ? '' : checkArtifactPath(path);
    const answer = (await this.#call({
      method: 'GET',
      path: ARTIFACTS_API,
      endpoint: 'mlflow-artifacts list',
      baseUrl: target.baseUrl,
      query: { path: relative === '' ? target.uriPath : `${target.uriPath}/${relative}` },
    })) as { files?: unknown };
    return parseFiles(answer.files, relative);
  }

  async readArtifact(run: RunInfo, path: string): Promise<Uint8Array> {
    const target = this.#artifactTarget(run);
    if (target.local) return readLocalArtifact(target.local, path);
    const relative = checkArtifactPath(path);
    return (await this.#call({
      method: 'GET',
      path: `${target.proxyPath}/${encodePath(relative)}`,
      endpoint: `mlflow-artifacts GET ${relative}`,
      baseUrl: target.baseUrl,
      expect: 'bytes',
    })) as Uint8Array;
  }

  // ── internals ────────────────────────────────────────────────────────────

  #call(options: CallOptions): Promise<unknown> {
    return this.#transport.call(options);
  }

  async #get(
    endpoint: string,
    query: Record<string, string | undefined>,
  ): Promise<Record<string, unknown>> {
    return (await this.#call({
      method: 'GET',
      path: `${API}/${endpoint}`,
      endpoint,
      query,
    })) as Record<string, unknown>;
  }

  async #post(endpoint: string, body: unknown): Promise<Record<string, unknown>> {
    return (await this.#call({
      method: 'POST',
      path: `${API}/${endpoint}`,
      endpoint,
      json: JSON.stringify(body),
    })) as Record<string, unknown>;
  }

  async #sendBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    for (const chunk of splitLogBatch(runId, batch)) {
      await this.#call({
        method: 'POST',
        path: `${API}/runs/log-batch`,
        endpoint: 'runs/log-batch',
        json: chunk.json,
      });
    }
  }

  #buffer(runId: string, metrics: readonly Metric[]): void {
    if (metrics.length === 0) return;
    const list = this.#pending.get(runId);
    if (list) list.push(...metrics);
    else this.#pending.set(runId, [...metrics]);
    this.#pendingCount += metrics.length;
    this.#cancelTimer ??= this.#clock.setTimer(() => {
      this.#cancelTimer = undefined;
      this.flush().catch((error: unknown) => {
        this.#backgroundError = error;
      });
    }, this.#flushIntervalMs);
    if (!this.#exitHook) {
      // A script that never ends its run still gets its metrics sent before Node exits.
      this.#exitHook = () => {
        if (this.#pendingCount > 0) {
          this.flush().catch((error: unknown) =>
            process.emitWarning(
              `@heart/mlflow: ${this.#pendingCount} buffered metric points were not sent: ${(error as Error).message}`,
            ),
          );
        }
      };
      process.on('beforeExit', this.#exitHook);
    }
  }

  #take(runId: string): Metric[] {
    const metrics = this.#pending.get(runId) ?? [];
    this.#pending.delete(runId);
    this.#pendingCount -= metrics.length;
    return metrics;
  }

  #throwBackgroundError(): void {
    const error = this.#backgroundError;
    if (error === undefined) return;
    this.#backgroundError = undefined;
    throw error;
  }

  /** Param values cut to the server's limit: 6000 characters since MLflow 2.8, 500 since 1.28, else 250. */
  async #fitParams(params: readonly Param[]): Promise<Param[]> {
    if (!params.some((param) => codePoints(param.value) > 250)) return [...params];
    const limit = paramValueLimit(await this.serverVersion());
    return params.map((param) => ({
      key: param.key,
      value: truncateCodePoints(param.value, limit),
    }));
  }

  #artifactTarget(run: RunInfo): ArtifactTarget {
    const uri = run.artifactUri;
    const local = localArtifactRoot(uri);
    if (local) return { local, uriPath: '', proxyPath: '' };
    const proxied = /^mlflow-artifacts:(?:\/\/([^/]+))?(\/.*)?$/.exec(uri);
    if (proxied) {
      const uriPath = (proxied[2] ?? '/').replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
      let baseUrl: string | undefined;
      if (proxied[1]) {
        // A host inside the URI replaces the tracking server's host (SPEC §4.2).
        const base = new URL(this.uri);
        base.host = proxied[1];
        baseUrl = base.href.replace(/\/+$/, '');
      }
      return {
        ...(baseUrl ? { baseUrl } : {}),
        uriPath,
        proxyPath: `${ARTIFACTS_API}/${encodePath(uriPath)}`,
      };
    }
    throw new MlflowError({
      code: 'UNSUPPORTED_URI',
      message: `run ${run.runId} stores artifacts at ${uri}, which this client cannot write directly; start the tracking server with artifact proxying (mlflow server --serve-artifacts --artifacts-destination ${uri.replace(/\/\d+\/[0-9a-f]{32}\/artifacts$/, '')}) so artifacts go through it`,
    });
  }
}

/** Where a run's artifacts go: a local folder, or the server's artifact proxy. */
interface ArtifactTarget {
  /** The folder, for a plain path or `file:` artifact URI. */
  local?: string;
  /** Another host than the tracking server's, when the URI names one. */
  baseUrl?: string;
  /** `<experiment>/<run>/artifacts`. */
  uriPath: string;
  /** `/api/2.0/mlflow-artifacts/artifacts/<uriPath>`. */
  proxyPath: string;
}

/** The longest param value a server of this MLflow version stores. */
export function paramValueLimit(version: string | undefined): number {
  const match = version ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!match) return 6000;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < 1 || (major === 1 && minor < 28)) return 250;
  if (major === 1 || (major === 2 && minor < 8)) return 500;
  return 6000;
}

/** Extensions MLflow uploads as `text/plain` (`mlflow.utils.mime_type_utils`). */
const TEXT_EXTENSIONS = new Set([
  'txt',
  'log',
  'err',
  'cfg',
  'conf',
  'cnf',
  'cf',
  'ini',
  'properties',
  'prop',
  'hocon',
  'toml',
  'yaml',
  'yml',
  'xml',
  'json',
  'js',
  'py',
  'py3',
  'csv',
  'tsv',
  'md',
  'rst',
  'MLmodel',
  'mlproject',
]);
const MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  pdf: 'application/pdf',
  zip: 'application/zip',
  tar: 'application/x-tar',
  wav: 'audio/x-wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

/** The `Content-Type` MLflow's client sends for an artifact file (SPEC §4.2). */
export function guessContentType(path: string): string {
  const name = posix.basename(path);
  const dot = name.lastIndexOf('.');
  const extension = dot <= 0 ? name : name.slice(dot + 1);
  if (TEXT_EXTENSIONS.has(extension)) return 'text/plain';
  return MIME_TYPES[extension.toLowerCase()] ?? 'application/octet-stream';
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
