import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { exists } from '../file-store/store-layout.js';
import {
  copyTree,
  listVersionFolders,
  modelMetaYaml,
  readModelMeta,
  readVersionMeta,
  versionMetaYaml,
  writeMeta,
} from './file-registry-layout.js';
import { readRecord } from './file-registry-read.js';

/** Rewrites a model's `meta.yaml` with a new `last_updated_timestamp` and an alias snapshot. */
export async function touchModel(folder: string, time: number): Promise<void> {
  const meta = await readModelMeta(folder);
  const aliases = await readRecord(join(folder, 'aliases'));
  await writeMeta(folder, modelMetaYaml({ ...meta, lastUpdatedTimestamp: time }, aliases));
}

/**
 * Removes `<folder>/<relative>` (a tag or alias file) if it is there, and touches the model
 * `model` then; a missing file is no error (MLflow answers 200).
 */
export async function removeKeyFile(
  model: string,
  folder: string,
  relative: string,
  time: number,
): Promise<void> {
  const file = join(folder, relative);
  if (!(await exists(file))) return;
  await rm(file);
  await touchModel(model, time);
}

/** A copy of model folder `from` in `to`, every `meta.yaml` rewritten with the new name. */
export async function renamedCopy(
  from: string,
  to: string,
  name: string,
  now: number,
): Promise<void> {
  await copyTree(from, to);
  const aliases = await readRecord(join(to, 'aliases'));
  const meta = await readModelMeta(to);
  await writeMeta(to, modelMetaYaml({ ...meta, name, lastUpdatedTimestamp: now }, aliases));
  for (const folder of await listVersionFolders(to)) {
    const version = await readVersionMeta(join(to, folder));
    const pointing = Object.keys(aliases).filter((alias) => aliases[alias] === folder.slice(8));
    await writeMeta(
      join(to, folder),
      versionMetaYaml({ ...version, name, lastUpdatedTimestamp: now }, pointing),
    );
  }
}
