import { join } from 'node:path';
import { readKeyFiles } from '../file-store/key-files.js';
import {
  DELETED_STAGE,
  listVersionFolders,
  readModelMeta,
  readVersionMeta,
  type VersionMeta,
} from './file-registry-layout.js';
import type { ModelStage, ModelVersion, RegisteredModel } from './registry-types.js';
import { STAGES } from './registry-validation.js';

/** A version as stored: its `meta.yaml`, tags, and the aliases (alias files) pointing at it. */
export interface StoredVersion {
  folder: string;
  meta: VersionMeta;
  tags: Record<string, string>;
  aliases: string[];
}

/**
 * The order the file-store server listed `latest_versions` in (a Python set's order: recorded
 * Archived, Staging, Production; `None` never met the others in the recording, it goes last).
 */
const LATEST_ORDER: readonly ModelStage[] = ['Archived', 'Staging', 'Production', 'None'];

/** Files below `folder` as a record (`tags/`, `aliases/`), keys sorted. */
export async function readRecord(folder: string): Promise<Record<string, string>> {
  return Object.fromEntries(await readKeyFiles(folder));
}

/** Every version folder of a model (deleted ones too), read. */
export async function readStoredVersions(modelFolder: string): Promise<StoredVersion[]> {
  const aliases = await readRecord(join(modelFolder, 'aliases'));
  const versions: StoredVersion[] = [];
  for (const name of await listVersionFolders(modelFolder)) {
    versions.push(await readStoredVersion(join(modelFolder, name), aliases));
  }
  return versions.sort((a, b) => a.meta.version - b.meta.version);
}

/** One version folder; `aliases` are the model's alias files (alias → version text). */
export async function readStoredVersion(
  folder: string,
  aliases: Readonly<Record<string, string>>,
): Promise<StoredVersion> {
  const meta = await readVersionMeta(folder);
  const number = folder.slice(folder.lastIndexOf('version-') + 'version-'.length);
  return {
    folder,
    meta,
    tags: await readRecord(join(folder, 'tags')),
    aliases: Object.keys(aliases).filter((alias) => aliases[alias] === number),
  };
}

/** The public shape of a stored version. */
export function toModelVersion(stored: StoredVersion): ModelVersion {
  const { meta } = stored;
  return {
    name: meta.name,
    version: String(meta.version),
    creationTimestamp: meta.creationTimestamp,
    lastUpdatedTimestamp: meta.lastUpdatedTimestamp,
    currentStage: (STAGES as readonly string[]).includes(meta.currentStage)
      ? (meta.currentStage as ModelStage)
      : 'None',
    description: meta.description,
    source: meta.source,
    runId: meta.runId,
    status: meta.status,
    runLink: meta.runLink,
    tags: { ...stored.tags },
    aliases: [...stored.aliases],
  };
}

/** The newest version in each of `stages` (deleted versions never count). */
export function latestPerStage(
  versions: readonly StoredVersion[],
  stages: readonly ModelStage[] = STAGES,
): ModelVersion[] {
  const latest = new Map<string, StoredVersion>();
  for (const stored of versions) {
    const stage = stored.meta.currentStage;
    if (stage === DELETED_STAGE || !stages.includes(stage as ModelStage)) continue;
    const known = latest.get(stage);
    if (!known || known.meta.version < stored.meta.version) latest.set(stage, stored);
  }
  return LATEST_ORDER.filter((stage) => latest.has(stage)).map((stage) =>
    toModelVersion(latest.get(stage)!),
  );
}

/** A registered model folder, read whole: meta, tags, aliases, latest versions. */
export async function readRegisteredModel(folder: string): Promise<RegisteredModel> {
  const meta = await readModelMeta(folder);
  return {
    name: meta.name,
    creationTimestamp: meta.creationTimestamp,
    lastUpdatedTimestamp: meta.lastUpdatedTimestamp,
    description: meta.description,
    latestVersions: latestPerStage(await readStoredVersions(folder)),
    tags: await readRecord(join(folder, 'tags')),
    aliases: await readRecord(join(folder, 'aliases')),
  };
}
