import type {
  ModelVersion,
  RegisteredModel,
  SearchModelVersionsResult,
  SearchRegisteredModelsResult,
} from './registry-types.js';

/** A registry tag, value already a string. */
export interface RegistryTag {
  key: string;
  value: string;
}

/** A search as a backend takes it: `maxResults` already checked by the client. */
export interface RegistryQuery {
  filter?: string;
  orderBy?: readonly string[];
  maxResults: number;
  pageToken?: string;
}

/** `model-versions/create` as a backend takes it. */
export interface CreateVersionRequest {
  name: string;
  source: string;
  runId?: string;
  tags: RegistryTag[];
  runLink?: string;
  description?: string;
}

/**
 * A model-registry backend: MLflow's file store (`mlruns/models/`) or a tracking server over REST.
 * The client checks what MLflow's Python client checks (alias names, page sizes) before it calls a
 * backend; everything else is checked where MLflow's server checks it, with its words.
 */
export interface RegistryStore {
  createRegisteredModel(
    name: string,
    tags: readonly RegistryTag[],
    description: string | undefined,
  ): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  searchRegisteredModels(query: RegistryQuery): Promise<SearchRegisteredModelsResult>;
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel>;
  deleteRegisteredModel(name: string): Promise<void>;
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  createModelVersion(request: CreateVersionRequest): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion>;
  deleteModelVersion(name: string, version: string): Promise<void>;
  searchModelVersions(query: RegistryQuery): Promise<SearchModelVersionsResult>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;
  transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    archiveExistingVersions: boolean,
  ): Promise<ModelVersion>;
  getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]>;
  getModelVersionDownloadUri(name: string, version: string): Promise<string>;
}
