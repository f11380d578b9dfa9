import type { LoggableValue } from '../tracking-client-options.js';
import type { RegistryStore, RegistryTag } from './registry-store.js';
import type {
  CreateRegisteredModelOptions,
  ModelVersion,
  RegisteredModel,
  RegistrySearchOptions,
  SearchRegisteredModelsResult,
} from './registry-types.js';
import {
  assertAliasName,
  assertModelName,
  assertPageSize,
  assertVersionNumber,
  PAGE_LIMITS,
} from './registry-validation.js';

/** Tags as the wire takes them: values stringified. */
export function registryTags(tags?: Readonly<Record<string, LoggableValue>>): RegistryTag[] {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ key, value: String(value) }));
}

/**
 * The registered-model half of {@link ModelRegistry}: models, their tags and aliases. Alias names
 * are checked before any request, as MLflow's Python client checks them.
 */
export class RegisteredModelsApi {
  /** The backend (file store or server). */
  protected readonly store: RegistryStore;

  /** @internal Made by the tracking client (`client.registry`). */
  constructor(store: RegistryStore) {
    this.store = store;
  }

  /**
   * Creates a registered model; `RESOURCE_ALREADY_EXISTS` when the name is taken.
   *
   * @example
   * ```ts
   * await client.registry.createRegisteredModel('heart-disease', { tags: { team: 'heart' } });
   * ```
   */
  createRegisteredModel(
    name: string,
    options: CreateRegisteredModelOptions = {},
  ): Promise<RegisteredModel> {
    return this.store.createRegisteredModel(name, registryTags(options.tags), options.description);
  }

  /**
   * The model with its tags, aliases and latest version per stage; 404 when there is none.
   *
   * @example
   * ```ts
   * const { aliases } = await client.registry.getRegisteredModel('heart-disease'); // { champion: '3' }
   * ```
   */
  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.store.getRegisteredModel(name);
  }

  /**
   * One page of registered models (by name unless `orderBy` says otherwise).
   *
   * @example
   * ```ts
   * const page = await client.registry.searchRegisteredModels({ filter: "name LIKE 'heart%'" });
   * ```
   */
  searchRegisteredModels(
    options: RegistrySearchOptions = {},
  ): Promise<SearchRegisteredModelsResult> {
    const maxResults = assertPageSize(options.maxResults ?? 100, PAGE_LIMITS.registeredModels);
    return this.store.searchRegisteredModels({ ...options, maxResults });
  }

  /**
   * Renames a model (its versions follow); `RESOURCE_ALREADY_EXISTS` when `newName` is taken.
   *
   * @example
   * ```ts
   * await client.registry.renameRegisteredModel('heart', 'heart-disease');
   * ```
   */
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.store.renameRegisteredModel(name, newName);
  }

  /**
   * Sets the model's description.
   *
   * @example
   * ```ts
   * await client.registry.updateRegisteredModel('heart-disease', { description: 'UCI Cleveland' });
   * ```
   */
  updateRegisteredModel(name: string, update: { description: string }): Promise<RegisteredModel> {
    return this.store.updateRegisteredModel(name, update.description);
  }

  /**
   * Deletes the model and all its versions.
   *
   * @example
   * ```ts
   * await client.registry.deleteRegisteredModel('scratch-model');
   * ```
   */
  deleteRegisteredModel(name: string): Promise<void> {
    return this.store.deleteRegisteredModel(name);
  }

  /**
   * Sets a tag on the model.
   *
   * @example
   * ```ts
   * await client.registry.setRegisteredModelTag('heart-disease', 'owner', 'ml-team');
   * ```
   */
  setRegisteredModelTag(name: string, key: string, value: LoggableValue): Promise<void> {
    return this.store.setRegisteredModelTag(name, key, String(value));
  }

  /**
   * Deletes a tag of the model (none is no error).
   *
   * @example
   * ```ts
   * await client.registry.deleteRegisteredModelTag('heart-disease', 'owner');
   * ```
   */
  deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.store.deleteRegisteredModelTag(name, key);
  }

  /**
   * Points `alias` at a version (moving it if it pointed elsewhere). Alias rules: letters, digits,
   * `_` and `-`, at most 255 characters, not `latest` (any case), not `v<digits>`.
   *
   * @example
   * ```ts
   * await client.registry.setRegisteredModelAlias('heart-disease', 'champion', '3');
   * ```
   */
  async setRegisteredModelAlias(name: string, alias: string, version: string | number) {
    assertModelName(name);
    assertAliasName(alias);
    assertVersionNumber(String(version));
    await this.store.setRegisteredModelAlias(name, alias, String(version));
  }

  /**
   * Deletes an alias (an unknown one is no error, as MLflow answers).
   *
   * @example
   * ```ts
   * await client.registry.deleteRegisteredModelAlias('heart-disease', 'challenger');
   * ```
   */
  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    assertModelName(name);
    assertAliasName(alias);
    await this.store.deleteRegisteredModelAlias(name, alias);
  }

  /**
   * The version an alias points at; an unknown alias is MLflow's 400 `INVALID_PARAMETER_VALUE`.
   *
   * @example
   * ```ts
   * const champion = await client.registry.getModelVersionByAlias('heart-disease', 'champion');
   * ```
   */
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    assertModelName(name);
    assertAliasName(alias);
    return this.store.getModelVersionByAlias(name, alias);
  }
}
