import type { RestStoreOptions } from '../rest/rest-store-options.js';

/** Options of {@link syncRuns}. Only `from` and `to` are required. */
export interface SyncRunsOptions {
  /** The store to copy from: a file store (`./mlruns`, `file:///…/mlruns`) or `http(s)://` server. */
  from: string;
  /** The store to copy into, of either kind (`http://127.0.0.1:5000`). */
  to: string;
  /** Only these experiments, by name or id. Default: every active experiment. */
  experiments?: readonly string[];
  /** Only these runs, by their id in the source. Default: every active run. */
  runIds?: readonly string[];
  /** Only runs started at or after this time (a `Date` or epoch ms). Default: no limit. */
  since?: Date | number;
  /** Find out and report what would move, and change nothing anywhere. Default `false`. */
  dryRun?: boolean;
  /**
   * Delete each source run once its copy is complete and read back equal (params, tags, every
   * metric point, every artifact's size) — MLflow's delete, which `mlflow gc` makes final.
   * Default `false`.
   */
  deleteSource?: boolean;
  /** Copy the registered models, their versions and aliases too. Default `true`. */
  registry?: boolean;
  /** Runs copied at the same time. Default 8. */
  concurrency?: number;
  /** Told about every run, problem and registered model as the sync goes (progress, logs). */
  onEvent?: (event: SyncEvent) => void;
  /** Where `MLFLOW_*` settings (credentials, retries) are read. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** What relative store paths resolve against. Default `process.cwd()`. */
  cwd?: string;
  /** REST options for a server on either side (retries, timeouts, `fetch`, `clock`). */
  rest?: RestStoreOptions;
}

/**
 * What became of one source run: `copied` (a new copy), `resumed` (an unfinished copy from an
 * earlier sync brought up to date), `present` (the copy is there already: nothing moved),
 * `failed`; in a dry run `would-copy` / `would-resume`.
 */
export type SyncRunOutcome =
  | 'copied'
  | 'resumed'
  | 'present'
  | 'failed'
  | 'would-copy'
  | 'would-resume';

/** One run's report. */
export interface SyncRunEvent {
  kind: 'run';
  outcome: SyncRunOutcome;
  experimentName: string;
  sourceRunId: string;
  runName: string;
  /** The copy's id, when there is one. */
  destinationRunId?: string;
  /** Params, tags, metric points and artifact files (and their bytes) sent for this run. */
  sent: { params: number; tags: number; points: number; files: number; bytes: number };
  /**
   * False while the source run is still `RUNNING`: its copy stays open and the next sync brings it
   * up to date.
   */
  complete: boolean;
  /** Why it failed, or what else there is to say (`deleted at the destination`). */
  message?: string;
  /** Set when `deleteSource` deleted the source run after checking its copy. */
  sourceDeleted?: boolean;
}

/** A source entry that cannot be read (reported with its path and skipped) or a store-level problem. */
export interface SyncProblem {
  kind: 'problem';
  /** The file, folder or URI at fault. */
  path: string;
  message: string;
}

/** One registered model's report. */
export interface SyncModelEvent {
  kind: 'model';
  name: string;
  /** Versions created at the destination (placeholders for deleted source versions included). */
  versionsCreated: number;
  /** Aliases set. */
  aliasesSet: number;
  /** Why the model was skipped or stopped, when it was. */
  message?: string;
  /** True when the model was not synced (left out, or stopped by an error). */
  skipped?: boolean;
}

/** An experiment about to be synced: found at the destination, or created (in a dry run: to be). */
export interface SyncExperimentEvent {
  kind: 'experiment';
  name: string;
  created: boolean;
  /** Its id at the destination, when it is there. */
  experimentId?: string;
}

/** What the sync found to do, before it starts copying. */
export interface SyncPlanEvent {
  kind: 'plan';
  experiments: number;
  runs: number;
}

/** Everything {@link SyncRunsOptions.onEvent} is told. */
export type SyncEvent =
  | SyncPlanEvent
  | SyncExperimentEvent
  | SyncRunEvent
  | SyncProblem
  | SyncModelEvent;

/** What {@link syncRuns} did. */
export interface SyncSummary {
  /** The two stores, as URIs without credentials. */
  from: string;
  to: string;
  dryRun: boolean;
  /** Experiments created at the destination (or that would be, in a dry run). */
  experimentsCreated: number;
  /** Runs by outcome. */
  runs: Record<SyncRunOutcome, number>;
  /** Everything sent over every run (in a dry run: what would be).  */
  sent: { params: number; tags: number; points: number; files: number; bytes: number };
  /** Registered models dealt with, versions created, aliases set. */
  registry: { models: number; versionsCreated: number; aliasesSet: number; skipped: number };
  /** Source runs deleted after their copy was checked (`deleteSource`). */
  sourceDeleted: number;
  /** Unreadable source entries and other problems, each with its path. */
  problems: Omit<SyncProblem, 'kind'>[];
  /** The runs that failed, with why. */
  failures: { sourceRunId: string; runName: string; message: string }[];
  /** True when nothing was, or would be, written: every run's copy was complete already. */
  nothingMoved: boolean;
}
