import type { LoggableValue } from '../tracking-client-options.js';

/** A model version's stage (MLflow's legacy stages, deprecated since 2.9 in favour of aliases). */
export type ModelStage = 'None' | 'Staging' | 'Production' | 'Archived';

/** One version of a registered model, as MLflow's `model_version` (camelCase fields). */
export interface ModelVersion {
  name: string;
  /** The version number as a string: `'1'`, `'2'`, … */
  version: string;
  /** Epoch ms. */
  creationTimestamp: number;
  /** Epoch ms. */
  lastUpdatedTimestamp: number;
  currentStage: ModelStage;
  /** `''` when none. */
  description: string;
  /** Where the model was registered from: `runs:/<run>/model`, `mlflow-artifacts:/…`, a path. */
  source: string;
  /** `''` when the version was registered without a run. */
  runId: string;
  /** `READY` (MLflow registers synchronously). */
  status: string;
  /** `''` when none. */
  runLink: string;
  tags: Record<string, string>;
  /** The aliases pointing at this version. */
  aliases: string[];
}

/** A registered model, as MLflow's `registered_model` (camelCase fields). */
export interface RegisteredModel {
  name: string;
  /** Epoch ms. */
  creationTimestamp: number;
  /** Epoch ms. */
  lastUpdatedTimestamp: number;
  /** `''` when none. */
  description: string;
  /** The newest version in each stage (MLflow's `latest_versions`). */
  latestVersions: ModelVersion[];
  tags: Record<string, string>;
  /** Alias → version number. */
  aliases: Record<string, string>;
}

/** Options of `createRegisteredModel`. */
export interface CreateRegisteredModelOptions {
  /** Tags to set (values stringified as MLflow does). Default none. */
  tags?: Readonly<Record<string, LoggableValue>>;
  /** Default none (`''`). */
  description?: string;
}

/** What `createModelVersion` takes. */
export interface CreateModelVersionOptions {
  /** The registered model (it must exist). */
  name: string;
  /** The model's location: `runs:/<run>/<path>`, `mlflow-artifacts:/…`, or a path inside the run's artifacts. */
  source: string;
  /** The run that produced it; required for a local path source. Default none. */
  runId?: string;
  /** Default none. */
  tags?: Readonly<Record<string, LoggableValue>>;
  /** Default none (`''`). */
  runLink?: string;
  /** Default none (`''`). */
  description?: string;
}

/** What the two registry searches take. */
export interface RegistrySearchOptions {
  /** MLflow's filter: `name LIKE 'heart%'`, `tags.owner = 'ml-team'`, `run_id = '…'`, `version_number > 1`. */
  filter?: string;
  /** `['name DESC']`, `['version_number DESC']`. Default: models by name, versions newest first. */
  orderBy?: readonly string[];
  /** Page size: default 100 models (at most 1000) or 10000 versions (at most 200000). */
  maxResults?: number;
  /** The `nextPageToken` of the previous page. */
  pageToken?: string;
}

/** One page of `searchRegisteredModels`. */
export interface SearchRegisteredModelsResult {
  registeredModels: RegisteredModel[];
  /** Set when there are more. */
  nextPageToken?: string;
}

/** One page of `searchModelVersions`. */
export interface SearchModelVersionsResult {
  modelVersions: ModelVersion[];
  /** Set when there are more. */
  nextPageToken?: string;
}

/** What a model URI resolved to (SPEC §8.3). */
export interface ResolvedModelUri {
  /** The URI as given. */
  uri: string;
  /**
   * The version, when resolving learned it (an alias, a stage, `latest`); a `models:/<name>/<n>`
   * URI resolves with one call that returns only the download URI.
   */
  version?: ModelVersion;
  /** The run the files belong to, when known. */
  runId?: string;
  /** Where the files are: a path, a `file:` URI or `mlflow-artifacts:/…`. */
  artifactUri: string;
}

/** Options of `downloadModel`. */
export interface DownloadModelOptions {
  /** The cache folder. Default `$XDG_CACHE_HOME/heart/models`, else `~/.cache/heart/models`. */
  cacheDir?: string;
}

/** A local, verified copy of a model folder. */
export interface DownloadedModel {
  /** The model folder (what `MLmodel` is in). */
  path: string;
  version?: ModelVersion;
  runId?: string;
  /** True when a complete earlier copy was used and nothing was downloaded. */
  fromCache: boolean;
}
