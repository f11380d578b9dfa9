import type { RegistryStore } from '../registry/registry-store.js';
import type { TrackingStore } from '../tracking-store.js';
import type { Experiment, Metric, Param, RunInfo, RunTag } from '../types.js';

/** A run as read from a source: everything but the artifacts, every metric point in order. */
export interface SourceRun {
  info: RunInfo;
  params: Param[];
  tags: RunTag[];
  /** Every point of every metric (the full histories), each key's points in logging order. */
  metrics: Metric[];
}

/** One artifact file, relative to the run's artifact root. */
export interface ArtifactFile {
  path: string;
  size: number;
}

/** Where the sync reports a source entry it cannot read. */
export type ReportProblem = (path: string, message: string) => void;

/** A store runs are copied from (read only, but for `deleteRun`). */
export interface SyncSource {
  /** The store's URI, without credentials. */
  readonly uri: string;
  /** The store behind it (file store or REST). */
  readonly store: TrackingStore;
  readonly registry: RegistryStore;
  /** Every active experiment; an unreadable one is reported and left out. */
  listExperiments(report: ReportProblem): Promise<Experiment[]>;
  /** Every active run of an experiment; an unreadable one is reported and left out. */
  listRuns(experiment: Experiment, report: ReportProblem): Promise<RunInfo[]>;
  /** The run's origin id (its own, or the one a sync that made it recorded). */
  originId(info: RunInfo): Promise<string>;
  /** The whole run; an unreadable one throws `CORRUPT_STORE` naming the file. */
  readRun(info: RunInfo): Promise<SourceRun>;
  /** Every artifact file of the run, recursively. */
  listArtifactFiles(info: RunInfo): Promise<ArtifactFile[]>;
  /** The local file of an artifact, when the source has one (a copy then needs no download). */
  localArtifact(info: RunInfo, path: string): string | undefined;
  /** Copies one artifact file to `file` (streamed). */
  saveArtifact(info: RunInfo, path: string, file: string): Promise<void>;
  /** MLflow's delete of a run (`lifecycle_stage: deleted`). */
  deleteRun(runId: string): Promise<void>;
  close(): Promise<void>;
}
