import { MlflowError } from '../errors.js';
import type { LoggableValue } from '../tracking-client-options.js';
import type { TrackingStore } from '../tracking-store.js';
import {
  cachedModel,
  cacheEntry,
  defaultModelCacheDir,
  installCachedModel,
} from './model-cache.js';
import { fetchModelFiles, resolveModel } from './model-resolver.js';
import { appendToUriPath, parseRunsUri } from './model-uri.js';
import { RegisteredModelsApi, registryTags } from './registered-models-api.js';
import type {
  CreateModelVersionOptions,
  DownloadedModel,
  DownloadModelOptions,
  ModelStage,
  ModelVersion,
  RegistrySearchOptions,
  ResolvedModelUri,
  SearchModelVersionsResult,
} from './registry-types.js';
import { assertPageSize, PAGE_LIMITS } from './registry-validation.js';

/**
 * MLflow's model registry, one API on both backends — the file store's `mlruns/models/` (written
 * as MLflow writes it, so `mlflow ui` shows it) and a tracking server's registry (the Python
 * client's calls). Reached as `client.registry` of {@link TrackingClient}: the same store, the
 * same transport. Errors are `MlflowError`s with MLflow's `error_code`, status and words.
 *
 * @example
 * ```ts
 * const client = createTrackingClient({ trackingUri: 'http://127.0.0.1:5000' });
 * const version = await client.registry.registerModel(`runs:/${runId}/model`, 'heart-disease');
 * await client.registry.setRegisteredModelAlias('heart-disease', 'champion', version.version);
 * const { path } = await client.registry.downloadModel('models:/heart-disease@champion');
 * ```
 */
export class ModelRegistry extends RegisteredModelsApi {
  readonly #tracking: TrackingStore;
  readonly #env: Record<string, string | undefined>;

  /** @internal Made by the tracking client (`client.registry`). */
  constructor(tracking: TrackingStore, env: Record<string, string | undefined>) {
    super(tracking.registry);
    this.#tracking = tracking;
    this.#env = env;
  }

  /**
   * Creates the next version of a registered model (which must exist).
   *
   * @example
   * ```ts
   * await client.registry.createModelVersion({ name: 'heart-disease', source: `runs:/${runId}/model`, runId });
   * ```
   */
  createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion> {
    return this.store.createModelVersion({ ...options, tags: registryTags(options.tags) });
  }

  /**
   * A version; 404 for an unknown or deleted one, 400 when `version` is not an integer.
   *
   * @example
   * ```ts
   * const v1 = await client.registry.getModelVersion('heart-disease', '1');
   * ```
   */
  getModelVersion(name: string, version: string | number): Promise<ModelVersion> {
    return this.store.getModelVersion(name, String(version));
  }

  /**
   * Sets a version's description.
   *
   * @example
   * ```ts
   * await client.registry.updateModelVersion('heart-disease', '1', { description: 'first' });
   * ```
   */
  updateModelVersion(name: string, version: string | number, update: { description: string }) {
    return this.store.updateModelVersion(name, String(version), update.description);
  }

  /**
   * Deletes a version (and the aliases pointing at it); its number is never reused.
   *
   * @example
   * ```ts
   * await client.registry.deleteModelVersion('heart-disease', '1');
   * ```
   */
  deleteModelVersion(name: string, version: string | number): Promise<void> {
    return this.store.deleteModelVersion(name, String(version));
  }

  /**
   * One page of versions (newest first unless `orderBy` says otherwise).
   *
   * @example
   * ```ts
   * const { modelVersions } = await client.registry.searchModelVersions({ filter: "name='heart-disease'" });
   * ```
   */
  searchModelVersions(options: RegistrySearchOptions = {}): Promise<SearchModelVersionsResult> {
    const maxResults = assertPageSize(options.maxResults ?? 10_000, PAGE_LIMITS.modelVersions);
    return this.store.searchModelVersions({ ...options, maxResults });
  }

  /**
   * Sets a tag on a version.
   *
   * @example
   * ```ts
   * await client.registry.setModelVersionTag('heart-disease', '1', 'validated', true);
   * ```
   */
  setModelVersionTag(name: string, version: string | number, key: string, value: LoggableValue) {
    return this.store.setModelVersionTag(name, String(version), key, String(value));
  }

  /**
   * Deletes a tag of a version (none is no error).
   *
   * @example
   * ```ts
   * await client.registry.deleteModelVersionTag('heart-disease', '1', 'validated');
   * ```
   */
  deleteModelVersionTag(name: string, version: string | number, key: string): Promise<void> {
    return this.store.deleteModelVersionTag(name, String(version), key);
  }

  /**
   * Moves a version to a stage (any case: `production` is `Production`); with
   * `archiveExistingVersions`, the others in that stage become `Archived`. Stages are deprecated
   * in MLflow (since 2.9) in favour of aliases.
   *
   * @example
   * ```ts
   * await client.registry.transitionModelVersionStage('heart-disease', '3', 'Production', { archiveExistingVersions: true });
   * ```
   */
  transitionModelVersionStage(
    name: string,
    version: string | number,
    stage: ModelStage | (string & {}),
    options: { archiveExistingVersions?: boolean } = {},
  ): Promise<ModelVersion> {
    const archive = options.archiveExistingVersions ?? false;
    return this.store.transitionModelVersionStage(name, String(version), stage, archive);
  }

  /**
   * The newest version in each stage, or in the stages given.
   *
   * @example
   * ```ts
   * const [production] = await client.registry.getLatestVersions('heart-disease', ['Production']);
   * ```
   */
  getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
    return this.store.getLatestVersions(name, stages);
  }

  /**
   * Where a version's files are (its source as stored: `runs:/…`, `mlflow-artifacts:/…`, a path).
   *
   * @example
   * ```ts
   * const uri = await client.registry.getModelVersionDownloadUri('heart-disease', '3');
   * ```
   */
  getModelVersionDownloadUri(name: string, version: string | number): Promise<string> {
    return this.store.getModelVersionDownloadUri(name, String(version));
  }

  /**
   * `mlflow.register_model`: creates the model if it is not there (an existing one is fine), then
   * a version whose source is, for `runs:/<run>/<path>`, the run's `artifact_uri` + `/<path>`.
   *
   * @example
   * ```ts
   * const version = await client.registry.registerModel(`runs:/${runId}/model`, 'heart-disease');
   * ```
   */
  async registerModel(
    modelUri: string,
    name: string,
    options: { tags?: Readonly<Record<string, LoggableValue>> } = {},
  ): Promise<ModelVersion> {
    try {
      await this.store.createRegisteredModel(name, [], undefined);
    } catch (error) {
      const code = error instanceof MlflowError ? error.code : undefined;
      if (code !== 'RESOURCE_ALREADY_EXISTS' && code !== 'ALREADY_EXISTS') throw error;
    }
    let source = modelUri;
    let runId: string | undefined;
    if (/^runs:/i.test(modelUri)) {
      const parsed = parseRunsUri(modelUri);
      runId = parsed.runId;
      source = appendToUriPath((await this.#tracking.getRun(runId)).info.artifactUri, parsed.path);
    }
    return this.createModelVersion({ name, source, ...(runId ? { runId } : {}), ...options });
  }

  /**
   * Resolves `models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/<name>/<stage>`,
   * `models:/<name>/latest` or `runs:/<run>/<path>` to where the files are, with the calls
   * MLflow's client makes (a `runs:/` source continues below the run's `artifact_uri`).
   *
   * @example
   * ```ts
   * const { version, artifactUri } = await client.registry.resolveModelUri('models:/heart-disease@champion');
   * ```
   */
  async resolveModelUri(uri: string): Promise<ResolvedModelUri> {
    return (await resolveModel(uri, this.store, this.#tracking)).resolved;
  }

  /**
   * A local copy of the model folder a URI names, cached by model name and version (a `runs:/`
   * URI by run and path) and checked complete before use: a copy is built in a temporary folder
   * of the cache, its manifest (every file's size and sha256) written last, then renamed into
   * place; one without a manifest or with a file of the wrong size is downloaded again.
   *
   * @example
   * ```ts
   * const { path, fromCache } = await client.registry.downloadModel('models:/heart-disease@champion');
   * ```
   */
  async downloadModel(uri: string, options: DownloadModelOptions = {}): Promise<DownloadedModel> {
    const { resolved, cacheKey } = await resolveModel(uri, this.store, this.#tracking);
    const cacheDir = options.cacheDir ?? defaultModelCacheDir(this.#env);
    const entry = cacheEntry(cacheDir, cacheKey);
    const about = {
      ...(resolved.version ? { version: resolved.version } : {}),
      ...(resolved.runId ? { runId: resolved.runId } : {}),
    };
    const cached = await cachedModel(entry, resolved.artifactUri);
    if (cached) return { path: cached, ...about, fromCache: true };
    const installed = await installCachedModel(cacheDir, entry, resolved.artifactUri, (target) =>
      fetchModelFiles(this.#tracking, resolved, target),
    );
    return { ...installed, ...about };
  }
}
