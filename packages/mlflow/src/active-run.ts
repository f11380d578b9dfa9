import type { LogModelOptions } from './log-model.js';
import type { TrackingClient } from './tracking-client.js';
import type { LoggableValue, MetricOptions } from './tracking-client-options.js';
import type { Metric, Param, RunInfo, RunStatus, RunTag } from './types.js';

/**
 * A run in progress: the client's run methods with the run id bound. `startRun` and `withRun`
 * make them.
 *
 * @example
 * ```ts
 * const run = await client.startRun({ experimentName: 'heart-disease-mlops' });
 * await run.logMetric('roc_auc', 0.94);
 * await run.end();
 * ```
 */
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
