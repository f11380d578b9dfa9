import { join } from 'node:path';
import { DELETED_STAGE, listModelFolders, modelsFolder } from './file-registry-layout.js';
import { readRegisteredModel, readStoredVersions, toModelVersion } from './file-registry-read.js';
import { matchesRegistryFilter, parseRegistryFilter } from './registry-filter.js';
import { paginate, sortRegistry } from './registry-paging.js';
import type { RegistryQuery } from './registry-store.js';
import type {
  ModelVersion,
  RegisteredModel,
  SearchModelVersionsResult,
  SearchRegisteredModelsResult,
} from './registry-types.js';
import { assertPageSize, PAGE_LIMITS } from './registry-validation.js';

/**
 * `registered-models/search` of the file store: every model read, filtered, sorted (name by
 * default), one page cut — as MLflow's file store does it.
 */
export async function searchStoredModels(
  root: string,
  query: RegistryQuery,
): Promise<SearchRegisteredModelsResult> {
  const maxResults = assertPageSize(query.maxResults, PAGE_LIMITS.registeredModels);
  const clauses = parseRegistryFilter(query.filter, 'registered-models');
  const models: RegisteredModel[] = [];
  for (const name of await listModelFolders(root))
    models.push(await readRegisteredModel(join(modelsFolder(root), name)));
  const matched = models.filter((model) =>
    matchesRegistryFilter({ attributes: modelAttributes(model), tags: model.tags }, clauses),
  );
  const sorted = sortRegistry(
    matched,
    query.orderBy,
    'registered-models',
    (model, key) => modelAttributes(model)[key] ?? '',
  );
  const { page, nextPageToken } = paginate(sorted, maxResults, query.pageToken);
  return nextPageToken ? { registeredModels: page, nextPageToken } : { registeredModels: page };
}

/**
 * `model-versions/search` of the file store: every live version of every model, filtered, sorted
 * (newest update first, then name, then version, by default), one page cut.
 */
export async function searchStoredVersions(
  root: string,
  query: RegistryQuery,
): Promise<SearchModelVersionsResult> {
  const maxResults = assertPageSize(query.maxResults, PAGE_LIMITS.modelVersions);
  const clauses = parseRegistryFilter(query.filter, 'model-versions');
  const versions: ModelVersion[] = [];
  for (const name of await listModelFolders(root)) {
    for (const stored of await readStoredVersions(join(modelsFolder(root), name))) {
      if (stored.meta.currentStage !== DELETED_STAGE) versions.push(toModelVersion(stored));
    }
  }
  const matched = versions.filter((version) =>
    matchesRegistryFilter({ attributes: versionAttributes(version), tags: version.tags }, clauses),
  );
  const sorted = sortRegistry(
    matched,
    query.orderBy ?? ['last_updated_timestamp DESC', 'name ASC', 'version_number DESC'],
    'model-versions',
    (version, key) => versionAttributes(version)[key] ?? '',
  );
  const { page, nextPageToken } = paginate(sorted, maxResults, query.pageToken);
  return nextPageToken ? { modelVersions: page, nextPageToken } : { modelVersions: page };
}

function modelAttributes(model: RegisteredModel): Record<string, string | number> {
  return {
    name: model.name,
    creation_timestamp: model.creationTimestamp,
    last_updated_timestamp: model.lastUpdatedTimestamp,
  };
}

function versionAttributes(version: ModelVersion): Record<string, string | number> {
  return {
    name: version.name,
    version_number: Number(version.version),
    run_id: version.runId,
    source_path: version.source,
    creation_timestamp: version.creationTimestamp,
    last_updated_timestamp: version.lastUpdatedTimestamp,
  };
}
