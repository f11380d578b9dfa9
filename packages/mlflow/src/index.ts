export type { Clock } from '@heart/internal';
export { isHeartError } from '@heart/internal';
export { MlflowError, type MlflowErrorCode, type MlflowErrorOptions } from './errors.js';
export { FileStore } from './file-store/file-store.js';
export {
  type FileStoreProblem,
  type FileStoreReport,
  inspectFileStore,
} from './file-store/inspect-file-store.js';
export type {
  ColumnSpec,
  LoggedModel,
  LogModelOptions,
  ModelSignature,
  TensorSpec,
} from './log-model.js';
export type { FetchLike, RestStoreOptions, RetryEvent } from './rest/config.js';
export { CLIENT_RUN_ID_TAG, RestStore } from './rest/rest-store.js';
export {
  ActiveRun,
  createTrackingClient,
  type LoggableValue,
  type MetricOptions,
  resolveTrackingUri,
  type StartRunOptions,
  TrackingClient,
  type TrackingClientOptions,
} from './tracking-client.js';
export type {
  CreateRunRequest,
  LogBatchRequest,
  LoggedModelEntry,
  TrackingStore,
} from './tracking-store.js';
export type {
  Experiment,
  ExperimentTag,
  FileInfo,
  LifecycleStage,
  Metric,
  Param,
  Run,
  RunData,
  RunInfo,
  RunStatus,
  RunTag,
  SearchRunsOptions,
  SearchRunsResult,
  ViewType,
} from './types.js';
export { LIMITS } from './validation.js';
