import type { CreateVersionRequest, RegistryStore } from '../registry/registry-store.js';
import type { ModelVersion } from '../registry/registry-types.js';
import type { TrackingStore } from '../tracking-store.js';
import type { Experiment, Metric, Param, RunStatus, RunTag } from '../types.js';
import type { ArtifactFile, SourceRun, SyncSource } from './sync-source.js';

/** A run at the destination that a sync made (or the original of a run copied back). */
export interface DestinationCopy {
  runId: string;
  artifactUri: string;
  /** Everything of it is there (`heart.sync.complete`), or it is the original itself. */
  complete: boolean;
  /** Deleted at the destination: never copied again, never logged to. */
  deleted: boolean;
}

/** Counts of what was sent for one run. */
export interface Sent {
  params: number;
  tags: number;
  points: number;
  files: number;
  bytes: number;
}

/** A new copy to make. */
export interface CopyJob {
  /** The destination experiment. */
  experiment: Experiment;
  run: SourceRun;
  /** The copy's tags without the model history (sync tags included). */
  tags: RunTag[];
  /** `mlflow.log-model.history`, still naming the source run. */
  history: RunTag | undefined;
  files: ArtifactFile[];
  source: SyncSource;
  /** Whether to mark the copy complete (the source run has ended). */
  complete: boolean;
}

/** A store runs are copied into. */
export interface SyncTarget {
  /** The store's URI, without credentials. */
  readonly uri: string;
  /** The store behind it, for reading a copy back. */
  readonly store: TrackingStore;
  readonly registry: RegistryStore;
  /**
   * The experiment called like the source's: found (its tags brought up to date), or created with
   * the source's tags; `undefined` when absent and `dryRun`. Refuses a deleted one, and one whose
   * artifacts cannot be written (`s3://`).
   */
  ensureExperiment(
    source: Experiment,
    dryRun: boolean,
  ): Promise<{ experiment: Experiment | undefined; created: boolean }>;
  /** The copies in an experiment (deleted ones too), by origin run id — and every run by its id. */
  indexCopies(experimentId: string): Promise<Map<string, DestinationCopy[]>>;
  /** Makes a whole new copy; resolves once it is complete (or open, for a running source run). */
  copyRun(job: CopyJob): Promise<{ runId: string; artifactUri: string; sent: Sent }>;
  /** Adds params, tags and points to a copy, then (with `complete`) the completion tag last. */
  logBatch(
    runId: string,
    batch: { params: Param[]; tags: RunTag[]; metrics: Metric[] },
    complete: boolean,
  ): Promise<void>;
  updateRun(runId: string, status: RunStatus, endTime: number | undefined): Promise<void>;
  /** Copies one artifact file of the source run into the copy. */
  putArtifact(
    copy: { runId: string; artifactUri: string },
    file: ArtifactFile,
    job: Pick<CopyJob, 'run' | 'source'>,
  ): Promise<void>;
  /**
   * `model-versions/create`, never twice: before a retry `find` looks for the version the lost
   * attempt may have made.
   */
  createModelVersion(
    request: CreateVersionRequest,
    find: () => Promise<ModelVersion | undefined>,
  ): Promise<ModelVersion>;
  close(): Promise<void>;
}
