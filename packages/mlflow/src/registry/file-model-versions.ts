import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MlflowError } from '../errors.js';
import { writeKeyFile } from '../file-store/key-files.js';
import { exists } from '../file-store/store-layout.js';
import { assertRequired } from '../validation.js';
import {
  DELETED_STAGE,
  fillStaged,
  installFolder,
  listVersionFolders,
  type VersionMeta,
  versionMetaYaml,
  versionStagingFolder,
  writeMeta,
} from './file-registry-layout.js';
import {
  latestPerStage,
  readRecord,
  readStoredVersion,
  readStoredVersions,
  type StoredVersion,
  toModelVersion,
} from './file-registry-read.js';
import { removeKeyFile } from './file-registry-writes.js';
import { validateModelSource } from './model-source.js';
import { parseModelUri } from './model-uri.js';
import type { CreateVersionRequest } from './registry-store.js';
import type { ModelVersion } from './registry-types.js';
import {
  assertFileStoreModelName,
  assertVersionNumber,
  canonicalStage,
  STAGES,
  validateRegistryTag,
  validateTagKey,
  versionNotFound,
} from './registry-validation.js';

/** What the version operations need of the file registry. */
export interface FileRegistryContext {
  root: string;
  now(): number;
  runArtifactUri(runId: string): Promise<string>;
  /** The model's folder after MLflow's name checks; 404 when there is none. */
  existingModel(name: string): Promise<string>;
  /** Rewrites the model's `meta.yaml` with this `last_updated_timestamp` (and an alias snapshot). */
  touch(modelFolder: string, time: number): Promise<void>;
  /** Runs `work` after every earlier write to the model in this process. */
  locked<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** The download URI of a version (to resolve a `models:/` source). */
  downloadUri(name: string, version: string): Promise<string>;
}

/**
 * The live version `version` of model `name` (MLflow's `_fetch_file_model_version_if_exists`):
 * 400 for a version that is not an integer, 404 for an unknown model, a missing or deleted version.
 */
export async function fetchVersion(
  context: FileRegistryContext,
  name: string,
  version: string,
): Promise<StoredVersion> {
  assertRequired(name, 'name');
  assertRequired(version, 'version');
  assertFileStoreModelName(name);
  assertVersionNumber(version);
  const model = await context.existingModel(name);
  const folder = join(model, `version-${version}`);
  if (!(await exists(join(folder, 'meta.yaml')))) throw versionNotFound(name, version);
  const stored = await readStoredVersion(folder, await readRecord(join(model, 'aliases')));
  if (stored.meta.currentStage === DELETED_STAGE) throw versionNotFound(name, version);
  return stored;
}

/**
 * `model-versions/create`: the server's checks (required fields, source), then a new
 * `version-<n>` folder built whole beside the others and renamed into place — a version number
 * another writer took meanwhile moves this one to the next.
 */
export async function createStoredVersion(
  context: FileRegistryContext,
  request: CreateVersionRequest,
): Promise<ModelVersion> {
  const { name, source } = request;
  assertRequired(name, 'name');
  assertRequired(source, 'source');
  await validateModelSource(source, request.runId || undefined, (runId) =>
    context.runArtifactUri(runId),
  );
  assertFileStoreModelName(name);
  for (const tag of request.tags) validateRegistryTag('Model version', tag.key, tag.value);
  const storageLocation = await storageLocationOf(context, source);
  return context.locked(name, async () => {
    const model = await context.existingModel(name).catch((error: unknown) => {
      throw creationError(name, error);
    });
    const now = context.now();
    for (let attempt = 0; attempt < 10; attempt++) {
      const numbers = (await listVersionFolders(model)).map((folder) => Number(folder.slice(8)));
      const version = Math.max(0, ...numbers.filter(Number.isInteger)) + 1;
      const meta: VersionMeta = {
        name,
        version,
        creationTimestamp: now,
        lastUpdatedTimestamp: now,
        currentStage: 'None',
        description: request.description ?? '',
        source,
        storageLocation,
        runId: request.runId ?? '',
        runLink: request.runLink ?? '',
        status: 'READY',
      };
      const staged = await versionStagingFolder(model);
      await fillStaged(staged, async () => {
        for (const tag of request.tags) await writeKeyFile(staged, 'tags', tag.key, tag.value);
        await writeMeta(staged, versionMetaYaml(meta, []));
      });
      const folder = join(model, `version-${version}`);
      if (await installFolder(staged, folder)) {
        await context.touch(model, now);
        return toModelVersion({
          folder,
          meta,
          tags: Object.fromEntries(request.tags.map((tag) => [tag.key, tag.value])),
          aliases: [],
        });
      }
    }
    throw creationError(name, new Error('another writer kept taking the next version number'));
  });
}

/** A `models:/<name>/<n>` source is stored at that version's location; others as they are. */
async function storageLocationOf(context: FileRegistryContext, source: string): Promise<string> {
  if (!/^models:/i.test(source)) return source;
  try {
    const parsed = parseModelUri(source);
    if (parsed.kind !== 'version') throw new Error(`${source} names no version`);
    return await context.downloadUri(parsed.name, parsed.version);
  } catch (error) {
    throw new MlflowError({
      code: 'INTERNAL_ERROR',
      status: 500,
      message: `Unable to fetch model from model URI source artifact location '${source}'.Error: ${(error as Error).message}`,
    });
  }
}

/** The file store's answer when creating a version fails (it retries 3 times, then says so). */
function creationError(name: string, cause: unknown): MlflowError {
  return new MlflowError({
    code: 'INTERNAL_ERROR',
    status: 500,
    message: `Model Version creation error (name=${name}). Error: ${(cause as Error).message}. Giving up after 3 attempts.`,
    cause,
  });
}

/** Rewrites a version's `meta.yaml` after `change`, the model's `last_updated_timestamp` too. */
export async function updateStoredVersion(
  context: FileRegistryContext,
  name: string,
  version: string,
  change: (meta: VersionMeta, now: number) => void,
): Promise<ModelVersion> {
  return context.locked(name, async () => {
    const stored = await fetchVersion(context, name, version);
    const now = context.now();
    change(stored.meta, now);
    stored.meta.lastUpdatedTimestamp = now;
    await writeMeta(stored.folder, versionMetaYaml(stored.meta, stored.aliases));
    return toModelVersion(stored);
  });
}

/**
 * `model-versions/transition-stage`: the stage in MLflow's spelling; with
 * `archiveExistingVersions`, the other versions in that stage become `Archived`.
 */
export async function transitionStoredVersion(
  context: FileRegistryContext,
  request: { name: string; version: string; stage: string; archive: boolean },
): Promise<ModelVersion> {
  const { name, version, archive } = request;
  assertRequired(request.stage, 'stage');
  const stage = canonicalStage(request.stage);
  if (archive && stage !== 'Staging' && stage !== 'Production') {
    throw new MlflowError({
      code: 'INTERNAL_ERROR',
      status: 500,
      message: `Model version transition cannot archive existing model versions because '${request.stage}' is not an Active stage. Valid stages are {'Staging', 'Production'}`,
    });
  }
  return context.locked(name, async () => {
    const stored = await fetchVersion(context, name, version);
    const model = join(stored.folder, '..');
    const now = context.now();
    if (archive) {
      const aliases = await readRecord(join(model, 'aliases'));
      for (const folder of await listVersionFolders(model)) {
        const other = await readStoredVersion(join(model, folder), aliases);
        if (other.meta.version === stored.meta.version || other.meta.currentStage !== stage)
          continue;
        other.meta.currentStage = 'Archived';
        other.meta.lastUpdatedTimestamp = now;
        await writeMeta(other.folder, versionMetaYaml(other.meta, other.aliases));
      }
    }
    stored.meta.currentStage = stage;
    stored.meta.lastUpdatedTimestamp = now;
    await writeMeta(stored.folder, versionMetaYaml(stored.meta, stored.aliases));
    await context.touch(model, now);
    return toModelVersion(stored);
  });
}

/**
 * `model-versions/delete`: the folder stays, `current_stage: Deleted_Internal` (every read is a
 * 404 then), and the aliases pointing at it go.
 */
export async function deleteStoredVersion(
  context: FileRegistryContext,
  name: string,
  version: string,
): Promise<void> {
  await context.locked(name, async () => {
    const stored = await fetchVersion(context, name, version);
    const model = join(stored.folder, '..');
    const now = context.now();
    stored.meta.currentStage = DELETED_STAGE;
    stored.meta.lastUpdatedTimestamp = now;
    await writeMeta(stored.folder, versionMetaYaml(stored.meta, stored.aliases));
    await context.touch(model, now);
    for (const alias of stored.aliases) await rm(join(model, 'aliases', alias), { force: true });
    if (stored.aliases.length > 0) await context.touch(model, now);
  });
}

/** Sets (with `value`) or deletes (without) a version tag; the model's `last_updated_timestamp` moves. */
export async function setStoredVersionTag(
  context: FileRegistryContext,
  tag: { name: string; version: string; key: string; value?: string },
): Promise<void> {
  const { name, version, key, value } = tag;
  assertRequired(name, 'name');
  assertFileStoreModelName(name);
  if (value === undefined) validateTagKey(key);
  else validateRegistryTag('Model version', key, value);
  await context.locked(name, async () => {
    const stored = await fetchVersion(context, name, version);
    const model = join(stored.folder, '..');
    if (value !== undefined) {
      await writeKeyFile(stored.folder, 'tags', key, value);
      await context.touch(model, context.now());
    } else {
      await removeKeyFile(model, stored.folder, join('tags', ...key.split('/')), context.now());
    }
  });
}

/** The newest live version in each of `stages` (every stage when none is given). */
export async function latestStoredVersions(
  context: FileRegistryContext,
  name: string,
  stages: readonly string[] | undefined,
): Promise<ModelVersion[]> {
  const folder = await context.existingModel(name);
  const wanted = stages && stages.length > 0 ? stages.map(canonicalStage) : STAGES;
  return latestPerStage(await readStoredVersions(folder), wanted);
}
