export type { Clock } from '@heart/internal';
export { isHeartError } from '@heart/internal';
export { ActiveRun } from './active-run.js';
export { assertArtifactsWritable } from './artifacts/artifact-access.js';
export { MlflowError, type MlflowErrorCode, type MlflowErrorOptions } from './errors.js';
export {
  type FileStoreProblem,
  type FileStoreReport,
  inspectFileStore,
} from './file-store/inspect-file-store.js';
export type {
  LoggedModel,
  LogModelOptions,
  ModelSignature,
  SignatureColumn,
  TensorSpec,
} from './log-model.js';
export { ModelRegistry } from './registry/model-registry.js';
export type {
  CreateModelVersionOptions,
  CreateRegisteredModelOptions,
  DownloadedModel,
  DownloadModelOptions,
  ModelStage,
  ModelVersion,
  RegisteredModel,
  RegistrySearchOptions,
  ResolvedModelUri,
  SearchModelVersionsResult,
  SearchRegisteredModelsResult,
} from './registry/registry-types.js';
export type { FetchLike, RestStoreOptions, RetryEvent } from './rest/rest-store-options.js';
export { syncRuns } from './sync/sync-runs.js';
export type {
  SyncEvent,
  SyncExperimentEvent,
  SyncModelEvent,
  SyncPlanEvent,
  SyncProblem,
  SyncRunEvent,
  SyncRunOutcome,
  SyncRunsOptions,
  SyncSummary,
} from './sync/sync-types.js';
export { createTrackingClient, TrackingClient } from './tracking-client.js';
export type {
  LoggableValue,
  MetricOptions,
  StartRunOptions,
  TrackingClientOptions,
} from './tracking-client-options.js';
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
