import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@heart/internal';
import { corruptStore, parseMapping } from '../file-store/meta-verdict.js';
import { removeOutOfSight, stageFolder, sweepStaging } from '../file-store/staging.js';
import { toYaml } from '../internal/yaml.js';

/**
 * The file store's registry tree (SPEC §8.5), as MLflow 2.17.2 writes it:
 *
 * ```
 * mlruns/models/<name>/meta.yaml        aliases (snapshot), creation_timestamp, description, …
 *                      tags/<key>       raw value, no newline
 *                      aliases/<alias>  the version number as text
 *                      version-<n>/meta.yaml, version-<n>/tags/<key>
 * ```
 *
 * New model and version folders are built whole under a name MLflow's reader skips and renamed
 * into place; removed ones are renamed out of sight first, so a reader never meets half a folder.
 */

/** A registered model's `meta.yaml`. */
export interface ModelMeta {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string;
}

/** A model version's `meta.yaml` (stage `Deleted_Internal` for a deleted one). */
export interface VersionMeta {
  name: string;
  version: number;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  currentStage: string;
  description: string;
  source: string;
  storageLocation: string;
  runId: string;
  runLink: string;
  status: string;
}

/** The stage MLflow gives a deleted version; every read of it is a 404. */
export const DELETED_STAGE = 'Deleted_Internal';

export function modelsFolder(root: string): string {
  return join(root, 'models');
}

export function modelFolder(root: string, name: string): string {
  return join(root, 'models', name);
}

/** The model `meta.yaml` text, keys sorted, `aliases` a snapshot of the alias files. */
export function modelMetaYaml(meta: ModelMeta, aliases: Readonly<Record<string, string>>): string {
  return toYaml({
    aliases: Object.fromEntries(Object.entries(aliases).sort(([a], [b]) => (a < b ? -1 : 1))),
    creation_timestamp: meta.creationTimestamp,
    description: meta.description,
    last_updated_timestamp: meta.lastUpdatedTimestamp,
    name: meta.name,
  });
}

/** The version `meta.yaml` text: MLflow's 14 keys, `aliases` a snapshot. */
export function versionMetaYaml(meta: VersionMeta, aliases: readonly string[]): string {
  return toYaml({
    aliases: [...aliases].sort(),
    creation_timestamp: meta.creationTimestamp,
    current_stage: meta.currentStage,
    description: meta.description,
    last_updated_timestamp: meta.lastUpdatedTimestamp,
    name: meta.name,
    run_id: meta.runId,
    run_link: meta.runLink,
    source: meta.source,
    status: meta.status,
    status_message: null,
    storage_location: meta.storageLocation,
    user_id: null,
    version: meta.version,
  });
}

/** Reads `<folder>/meta.yaml` as a mapping; a missing or broken one is `CORRUPT_STORE`. */
async function readMeta(folder: string): Promise<Record<string, unknown>> {
  const file = join(folder, 'meta.yaml');
  const mapping = parseMapping(await readFile(file, 'utf8').catch(() => undefined));
  if (typeof mapping === 'string') throw corruptStore(file, `meta.yaml is ${mapping}`);
  return mapping;
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const integer = (value: unknown) => (typeof value === 'number' ? value : Number(value) || 0);

export async function readModelMeta(folder: string): Promise<ModelMeta> {
  const meta = await readMeta(folder);
  return {
    name: text(meta.name),
    creationTimestamp: integer(meta.creation_timestamp),
    lastUpdatedTimestamp: integer(meta.last_updated_timestamp),
    description: text(meta.description),
  };
}

export async function readVersionMeta(folder: string): Promise<VersionMeta> {
  const meta = await readMeta(folder);
  return {
    name: text(meta.name),
    version: integer(meta.version),
    creationTimestamp: integer(meta.creation_timestamp),
    lastUpdatedTimestamp: integer(meta.last_updated_timestamp),
    currentStage: text(meta.current_stage) || 'None',
    description: text(meta.description),
    source: text(meta.source),
    storageLocation: text(meta.storage_location),
    runId: text(meta.run_id),
    runLink: text(meta.run_link),
    status: text(meta.status) || 'READY',
  };
}

/** The `version-<n>` folder names of a model, as MLflow lists them (any folder so named). */
export async function listVersionFolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('version-'))
    .map((entry) => entry.name);
}

/** The registered models' folder names. */
export async function listModelFolders(root: string): Promise<string[]> {
  const entries = await readdir(modelsFolder(root), { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/** Writes a `meta.yaml` atomically (the temporary file beside it, where MLflow looks for none). */
export function writeMeta(folder: string, yaml: string): Promise<void> {
  return writeFileAtomic(join(folder, 'meta.yaml'), yaml);
}

/**
 * A fresh folder to build a registered model in: `<root>/.trash/heart-staging-<hex>/entry`, on the
 * same file system as `models/`; its container holds no `meta.yaml`, so MLflow's reader of deleted
 * experiments skips it (a `meta.yaml` right under `.trash/<name>/` would break `experiments/search`).
 */
export async function stagingFolder(root: string): Promise<string> {
  return (await stageFolder(root, 'entry')).path;
}

/** Removes what killed writers left in `.trash/` (older than `ageMs`; see `sweepStaging`). */
export { sweepStaging };

/** A fresh folder to build a version in: hidden inside the model folder (not `version-*`). */
export async function versionStagingFolder(model: string): Promise<string> {
  const folder = join(model, `.tmp-version-${randomBytes(8).toString('hex')}`);
  await mkdir(folder);
  return folder;
}

/** Runs `fill` on a staged folder; a failure removes the folder (nothing half-built stays). */
export async function fillStaged(staged: string, fill: () => Promise<void>): Promise<void> {
  try {
    await fill();
  } catch (error) {
    await rm(stagedContainer(staged), { recursive: true, force: true });
    throw error;
  }
}

/** The folder to remove with a staged one: its staging container, or itself (a version's). */
function stagedContainer(staged: string): string {
  return /[\\/]heart-staging-[0-9a-f]+[\\/]entry$/.test(staged) ? dirname(staged) : staged;
}

/**
 * Renames a complete folder into place. `false` (and the staged folder removed) when the target
 * is already there: the name was taken meanwhile.
 */
export async function installFolder(staged: string, target: string): Promise<boolean> {
  try {
    await rename(staged, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') return false;
    throw error;
  } finally {
    await rm(stagedContainer(staged), { recursive: true, force: true });
  }
}

/** Removes a folder the reader must never see half-removed: renamed out of sight, then deleted. */
export const removeFolder = removeOutOfSight;

/** Copies a folder tree (files byte for byte), leaving out temporary `.tmp-*` entries. */
export async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.name.startsWith('.tmp-')) continue;
    if (entry.isDirectory()) await copyTree(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile()) await copyFile(join(from, entry.name), join(to, entry.name));
  }
}
