import type { Transport } from '../rest/transport.js';
import type {
  CreateVersionRequest,
  RegistryQuery,
  RegistryStore,
  RegistryTag,
} from './registry-store.js';
import type {
  ModelVersion,
  RegisteredModel,
  SearchModelVersionsResult,
  SearchRegisteredModelsResult,
} from './registry-types.js';
import {
  pageToken,
  parseModelVersion,
  parseModelVersions,
  parseRegisteredModel,
} from './registry-wire.js';

/**
 * The model registry of a tracking server (SPEC §8.1), with the calls and bodies of MLflow
 * 2.17.2's Python client: GET with a query, POST/PATCH/DELETE with JSON; optional fields sent only
 * when given. The server checks names, versions, stages and tags and answers with its errors;
 * every call retries as the rest of the REST store does.
 */
export class RestRegistry implements RegistryStore {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  // ── registered models ────────────────────────────────────────────────────

  async createRegisteredModel(
    name: string,
    tags: readonly RegistryTag[],
    description: string | undefined,
  ): Promise<RegisteredModel> {
    const answer = await this.#send('POST', 'registered-models/create', {
      name,
      ...(tags.length > 0 ? { tags } : {}),
      ...(description === undefined ? {} : { description }),
    });
    return parseRegisteredModel(answer.registered_model);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const answer = await this.#transport.getJson('registered-models/get', { name });
    return parseRegisteredModel(answer.registered_model);
  }

  async searchRegisteredModels(query: RegistryQuery): Promise<SearchRegisteredModelsResult> {
    const answer = await this.#transport.getJson('registered-models/search', searchQuery(query));
    return {
      registeredModels: Array.isArray(answer.registered_models)
        ? answer.registered_models.map(parseRegisteredModel)
        : [],
      ...pageToken(answer.next_page_token),
    };
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    const answer = await this.#send('POST', 'registered-models/rename', {
      name,
      new_name: newName,
    });
    return parseRegisteredModel(answer.registered_model);
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    const answer = await this.#send('PATCH', 'registered-models/update', { name, description });
    return parseRegisteredModel(answer.registered_model);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.#send('DELETE', 'registered-models/delete', { name });
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.#send('POST', 'registered-models/set-tag', { name, key, value });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.#send('DELETE', 'registered-models/delete-tag', { name, key });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    await this.#send('POST', 'registered-models/alias', { name, alias, version });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.#send('DELETE', 'registered-models/alias', { name, alias });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const answer = await this.#transport.getJson('registered-models/alias', { name, alias });
    return parseModelVersion(answer.model_version);
  }

  async getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
    const answer = await this.#send('POST', 'registered-models/get-latest-versions', {
      name,
      ...(stages && stages.length > 0 ? { stages } : {}),
    });
    return parseModelVersions(answer.model_versions);
  }

  // ── versions ─────────────────────────────────────────────────────────────

  async createModelVersion(request: CreateVersionRequest): Promise<ModelVersion> {
    const answer = await this.#send('POST', 'model-versions/create', {
      name: request.name,
      source: request.source,
      ...(request.runId ? { run_id: request.runId } : {}),
      ...(request.tags.length > 0 ? { tags: request.tags } : {}),
      ...(request.runLink === undefined ? {} : { run_link: request.runLink }),
      ...(request.description === undefined ? {} : { description: request.description }),
    });
    return parseModelVersion(answer.model_version);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const answer = await this.#transport.getJson('model-versions/get', { name, version });
    return parseModelVersion(answer.model_version);
  }

  async updateModelVersion(name: string, version: string, description: string) {
    const answer = await this.#send('PATCH', 'model-versions/update', {
      name,
      version,
      description,
    });
    return parseModelVersion(answer.model_version);
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.#send('DELETE', 'model-versions/delete', { name, version });
  }

  async searchModelVersions(query: RegistryQuery): Promise<SearchModelVersionsResult> {
    const answer = await this.#transport.getJson('model-versions/search', searchQuery(query));
    return {
      modelVersions: parseModelVersions(answer.model_versions),
      ...pageToken(answer.next_page_token),
    };
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string) {
    await this.#send('POST', 'model-versions/set-tag', { name, version, key, value });
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    await this.#send('DELETE', 'model-versions/delete-tag', { name, version, key });
  }

  async transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    archiveExistingVersions: boolean,
  ): Promise<ModelVersion> {
    const answer = await this.#send('POST', 'model-versions/transition-stage', {
      name,
      version,
      stage,
      archive_existing_versions: archiveExistingVersions,
    });
    return parseModelVersion(answer.model_version);
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const answer = await this.#transport.getJson('model-versions/get-download-uri', {
      name,
      version,
    });
    return typeof answer.artifact_uri === 'string' ? answer.artifact_uri : '';
  }

  #send(method: 'POST' | 'PATCH' | 'DELETE', endpoint: string, body: unknown) {
    return this.#transport.sendJson(method, endpoint, body);
  }
}

/** A search's query string, in the Python client's names (`order_by` repeated). */
function searchQuery(query: RegistryQuery): Record<string, string | readonly string[] | undefined> {
  return {
    filter: query.filter || undefined,
    max_results: String(query.maxResults),
    order_by: query.orderBy && query.orderBy.length > 0 ? query.orderBy : undefined,
    page_token: query.pageToken || undefined,
  };
}
