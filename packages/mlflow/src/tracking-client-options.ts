import type { RestStoreOptions } from './rest/rest-store-options.js';

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
