import type { RegistryStore } from './registry/registry-store.js';
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

/** Where artifacts are: a run's artifact root, or a folder below it (a model). */
export type ArtifactLocation = Pick<RunInfo, 'runId' | 'artifactUri'>;

/** The files of an artifact folder, `[name, bytes]`, in the order they are to be written. */
export type ArtifactFiles = readonly (readonly [string, Uint8Array])[];

/** What `createRun` needs. */
export interface CreateRunRequest {
  experimentId: string;
  userId: string;
  runName: string;
  startTime: number;
  tags: RunTag[];
}

/** Params, metrics and tags to record at once (already validated by the client). */
export interface LogBatchRequest {
  metrics?: Metric[];
  params?: Param[];
  tags?: RunTag[];
}

/** One entry of the `mlflow.log-model.history` tag (SPEC §5.3). */
export interface LoggedModelEntry {
  run_id: string;
  artifact_path: string;
  utc_time_created: string;
  model_uuid: string;
  flavors: Record<string, Record<string, unknown>>;
}

/**
 * A tracking backend: MLflow's file store, or a tracking server over REST. The client validates
 * everything before it calls a backend; a backend only stores and reads.
 */
export interface TrackingStore {
  /** What the store is, for messages: `file:///…/mlruns` or `http://host:5000`. */
  readonly uri: string;
  /** The model registry of the same store (same folder, same server and transport). */
  readonly registry: RegistryStore;
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  getExperiment(experimentId: string): Promise<Experiment>;
  createExperiment(name: string, tags?: readonly { key: string; value: string }[]): Promise<string>;
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;
  createRun(request: CreateRunRequest): Promise<Run>;
  updateRun(
    runId: string,
    update: { status: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo>;
  getRun(runId: string): Promise<Run>;
  logBatch(runId: string, batch: LogBatchRequest): Promise<void>;
  searchRuns(options: SearchRunsOptions): Promise<SearchRunsResult>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  deleteRun(runId: string): Promise<void>;
  /** Records a logged model: the file store appends to the history tag, a server is told by `runs/log-model`. */
  recordLoggedModel(runId: string, entry: LoggedModelEntry): Promise<void>;
  /** Writes bytes or a local file to `<artifact root>/<artifactPath>` of the run. */
  putArtifact(
    run: RunInfo,
    artifactPath: string,
    source: { path: string } | { bytes: Uint8Array },
  ): Promise<void>;
  /**
   * Writes a folder of files (a model, `MLmodel` last) to `<artifact root>/<artifactPath>/`: a
   * local artifact root gets it whole or not at all (staged, then renamed into place, replacing a
   * folder already there); a server's artifact proxy gets the files one by one, in order.
   */
  putArtifactFolder(run: RunInfo, artifactPath: string, files: ArtifactFiles): Promise<void>;
  /** Lists `<artifact root>/<path>` (one level). */
  listArtifacts(run: ArtifactLocation, path?: string): Promise<FileInfo[]>;
  /** Reads one artifact file. */
  readArtifact(run: ArtifactLocation, path: string): Promise<Uint8Array>;
  /** Sends anything still buffered. */
  flush(): Promise<void>;
  /** Flushes and releases resources (connections). Optional. */
  close?(): Promise<void>;
}
