import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter } from '../errors.js';
import { writeKeyFile } from '../file-store/key-files.js';
import { exists } from '../file-store/store-layout.js';
import { assertRequired } from '../validation.js';
import {
  createStoredVersion,
  deleteStoredVersion,
  type FileRegistryContext,
  fetchVersion,
  latestStoredVersions,
  setStoredVersionTag,
  transitionStoredVersion,
  updateStoredVersion,
} from './file-model-versions.js';
import {
  fillStaged,
  installFolder,
  modelFolder,
  modelMetaYaml,
  modelsFolder,
  readModelMeta,
  removeFolder,
  stagingFolder,
  sweepStaging,
  writeMeta,
} from './file-registry-layout.js';
import { readRecord, readRegisteredModel, toModelVersion } from './file-registry-read.js';
import { searchStoredModels, searchStoredVersions } from './file-registry-search.js';
import { removeKeyFile, renamedCopy, touchModel } from './file-registry-writes.js';
import type {
  CreateVersionRequest,
  RegistryQuery,
  RegistryStore,
  RegistryTag,
} from './registry-store.js';
import type { ModelVersion, RegisteredModel } from './registry-types.js';
import {
  assertAliasName,
  assertFileStoreModelName,
  modelExists,
  modelNotFound,
  validateRegistryTag,
  validateTagKey,
} from './registry-validation.js';

/** What the file registry needs from its file store. */
export interface FileRegistryOptions {
  /** The `mlruns` folder. */
  root: string;
  /** Epoch ms for the timestamps written. Default `Date.now`. */
  now?: () => number;
  /** Makes sure the store root exists (`.trash/`, `0/`), as before any write. */
  prepare?: () => Promise<void>;
  /** The artifact URI of a run (to check a local source); the run's 404 stands. */
  runArtifactUri: (runId: string) => Promise<string>;
}

/**
 * MLflow's file-store model registry (`mlruns/models/`, SPEC §8.5) written as MLflow 2.17.2's
 * file store writes it and answering as its server answers (names with `/` or `%` refused, a
 * version for an unknown model a 500, …), so that `mlflow ui` lists heart's registered models.
 * Every `meta.yaml` and tag or alias file is written atomically; new model and version folders
 * appear complete; writes to one model are serialised within the process.
 */
export class FileRegistry implements RegistryStore {
  readonly #root: string;
  readonly #context: FileRegistryContext;
  readonly #prepare: () => Promise<void>;
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(options: FileRegistryOptions) {
    this.#root = options.root;
    const prepare = options.prepare ?? (async () => undefined);
    let ready: Promise<void> | undefined;
    // Once per registry: the store root, and staging folders a killed writer left.
    this.#prepare = () => {
      ready ??= prepare().then(() => sweepStaging(options.root, Date.now()));
      return ready;
    };
    const now = options.now ?? Date.now;
    this.#context = {
      root: options.root,
      now: () => now(),
      runArtifactUri: options.runArtifactUri,
      existingModel: (name) => this.#existingModel(name),
      touch: (folder, time) => touchModel(folder, time),
      locked: (name, work) => this.#locked([name], work),
      downloadUri: (name, version) => this.getModelVersionDownloadUri(name, version),
    };
  }

  // ── registered models ────────────────────────────────────────────────────

  async createRegisteredModel(
    name: string,
    tags: readonly RegistryTag[],
    description: string | undefined,
  ): Promise<RegisteredModel> {
    checkName(name);
    await this.#prepare();
    return this.#locked([name], async () => {
      const target = modelFolder(this.#root, name);
      if (await exists(target)) throw modelExists(name);
      for (const tag of tags) validateRegistryTag('Registered model', tag.key, tag.value);
      const now = this.#context.now();
      const meta = {
        name,
        creationTimestamp: now,
        lastUpdatedTimestamp: now,
        description: description ?? '',
      };
      const staged = await stagingFolder(this.#root);
      await fillStaged(staged, async () => {
        for (const tag of tags) await writeKeyFile(staged, 'tags', tag.key, tag.value);
        await writeMeta(staged, modelMetaYaml(meta, {}));
      });
      await mkdir(modelsFolder(this.#root), { recursive: true });
      if (!(await installFolder(staged, target))) throw modelExists(name);
      const tagRecord = Object.fromEntries(tags.map((tag) => [tag.key, tag.value]));
      return { ...meta, latestVersions: [], tags: tagRecord, aliases: {} };
    });
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return readRegisteredModel(await this.#existingModel(name));
  }

  searchRegisteredModels(query: RegistryQuery) {
    return searchStoredModels(this.#root, query);
  }

  /** Built whole under a new name (every `meta.yaml` rewritten), renamed in, the old one removed. */
  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    checkName(name);
    assertRequired(newName, 'new_name');
    assertFileStoreModelName(newName);
    await this.#prepare();
    return this.#locked([name, newName], async () => {
      const from = await this.#existingModel(name);
      const to = modelFolder(this.#root, newName);
      if (await exists(to)) throw modelExists(newName);
      const now = this.#context.now();
      const staged = await stagingFolder(this.#root);
      await fillStaged(staged, () => renamedCopy(from, staged, newName, now));
      if (!(await installFolder(staged, to))) throw modelExists(newName);
      await removeFolder(this.#root, from);
      return readRegisteredModel(to);
    });
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    checkName(name);
    return this.#locked([name], async () => {
      const folder = await this.#existingModel(name);
      const meta = await readModelMeta(folder);
      const next = {
        ...meta,
        description: description ?? '',
        lastUpdatedTimestamp: this.#context.now(),
      };
      await writeMeta(folder, modelMetaYaml(next, await readRecord(join(folder, 'aliases'))));
      return readRegisteredModel(folder);
    });
  }

  /** The model folder is renamed out of sight, then removed with everything in it. */
  async deleteRegisteredModel(name: string): Promise<void> {
    checkName(name);
    await this.#locked([name], async () => {
      await removeFolder(this.#root, await this.#existingModel(name));
    });
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    checkName(name);
    validateRegistryTag('Registered model', key, value);
    await this.#locked([name], async () => {
      const folder = await this.#existingModel(name);
      await writeKeyFile(folder, 'tags', key, value);
      await touchModel(folder, this.#context.now());
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    checkName(name);
    validateTagKey(key);
    await this.#locked([name], async () => {
      const folder = await this.#existingModel(name);
      await removeKeyFile(folder, folder, join('tags', ...key.split('/')), this.#context.now());
    });
  }

  // ── aliases ──────────────────────────────────────────────────────────────

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    checkName(name);
    assertAliasName(alias);
    await this.#locked([name], async () => {
      const folder = await this.#existingModel(name);
      await fetchVersion(this.#context, name, version);
      await writeKeyFile(folder, 'aliases', alias, version);
      await touchModel(folder, this.#context.now());
    });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    checkName(name);
    assertAliasName(alias);
    await this.#locked([name], async () => {
      const folder = await this.#existingModel(name);
      await removeKeyFile(folder, folder, join('aliases', alias), this.#context.now());
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    checkName(name);
    assertAliasName(alias);
    const folder = await this.#existingModel(name);
    const version = await readFile(join(folder, 'aliases', alias), 'utf8').catch(() => undefined);
    if (version === undefined) throw invalidParameter(`Registered model alias ${alias} not found.`);
    return this.getModelVersion(name, version);
  }

  // ── versions ─────────────────────────────────────────────────────────────

  createModelVersion(request: CreateVersionRequest): Promise<ModelVersion> {
    return createStoredVersion(this.#context, request);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return toModelVersion(await fetchVersion(this.#context, name, version));
  }

  updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion> {
    return updateStoredVersion(this.#context, name, version, (meta) => {
      meta.description = description ?? '';
    });
  }

  deleteModelVersion(name: string, version: string): Promise<void> {
    return deleteStoredVersion(this.#context, name, version);
  }

  searchModelVersions(query: RegistryQuery) {
    return searchStoredVersions(this.#root, query);
  }

  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    return setStoredVersionTag(this.#context, { name, version, key, value });
  }

  deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    return setStoredVersionTag(this.#context, { name, version, key });
  }

  transitionModelVersionStage(name: string, version: string, stage: string, archive: boolean) {
    return transitionStoredVersion(this.#context, { name, version, stage, archive });
  }

  getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
    return latestStoredVersions(this.#context, name, stages);
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const { meta } = await fetchVersion(this.#context, name, version);
    return meta.storageLocation || meta.source;
  }

  // ── internals ────────────────────────────────────────────────────────────

  async #existingModel(name: string): Promise<string> {
    checkName(name);
    const folder = modelFolder(this.#root, name);
    if (!(await exists(join(folder, 'meta.yaml')))) throw modelNotFound(name);
    return folder;
  }

  /** Runs `work` after every earlier write to these models in this process. */
  #locked<T>(names: readonly string[], work: () => Promise<T>): Promise<T> {
    const keys = [...new Set(names)].sort();
    const previous = Promise.all(keys.map((key) => this.#locks.get(key)));
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    for (const key of keys) this.#locks.set(key, settled);
    return next;
  }
}

/** MLflow's name checks: required, and a name the file store can make a folder of. */
function checkName(name: string): void {
  assertRequired(name, 'name');
  assertFileStoreModelName(name);
}
