/** Run status, as MLflow names it. */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
/** Which runs or experiments a search sees. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
/** `active` or `deleted`. */
export type LifecycleStage = 'active' | 'deleted';

export interface ExperimentTag {
  key: string;
  value: string;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime?: number;
  lastUpdateTime?: number;
  tags: ExperimentTag[];
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface Metric {
  key: string;
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
  step: number;
}

export interface Param {
  key: string;
  value: string;
}

export interface RunTag {
  key: string;
  value: string;
}

export interface RunData {
  /** The latest value of each metric (greatest step, then timestamp, then value). */
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
}

/** One entry of an artifact listing; `path` is relative to the run's artifact root. */
export interface FileInfo {
  path: string;
  isDir: boolean;
  fileSize?: number;
}

/** What `searchRuns` accepts. */
export interface SearchRunsOptions {
  experimentIds: readonly string[];
  /** MLflow's filter syntax: `metrics.roc_auc > 0.9 and params.model = "rf"`. */
  filter?: string;
  /** `['metrics.roc_auc DESC', 'attributes.start_time']`; default: newest first. */
  orderBy?: readonly string[];
  /** Default 1000. */
  maxResults?: number;
  /** Default `ACTIVE_ONLY`. */
  viewType?: ViewType;
  pageToken?: string;
}

export interface SearchRunsResult {
  runs: Run[];
  nextPageToken?: string;
}
