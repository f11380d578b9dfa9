import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsFailure, writeFileAtomic } from '@heart/internal';
import { PipelineError } from './errors.js';
import type { Pipeline } from './pipeline.js';
import { CURRENT_LINK, PIPELINE_FILES, pipelineFiles } from './pipeline-files.js';

/** Where complete sets live, one folder per training, inside a `models/` folder. */
const RELEASES = 'releases';
const STAGING = '.staging-';
const TEMP_LINK = '.link-';

/** Options for {@link savePipelineDir}. */
export interface SavePipelineDirOptions {
  /** Complete sets kept besides the current one (older ones are pruned). Default 1. */
  keepPrevious?: number;
}

/**
 * Writes a pipeline into a folder (`models/`) as one unit, never half: the set is written complete
 * into `releases/<training id>/` (staged under a hidden name, fsynced, renamed into place), then
 * the `current` link is swapped to it with one rename; `best_model.json`, `preprocessor.json` and
 * `metadata.json` at the top are relative links through `current`, so the seed's paths keep working
 * and the folder can be copied. A reader never sees parts of two trainings (`loadPipelineDir`
 * resolves `current` once, and metadata.json records every part's sha256), nor an empty folder.
 * Older sets are pruned after the switch; what a killed save left behind is removed by a later
 * one, once it is 10 minutes old (a concurrent save's staging is never touched).
 * Returns the training id (also in `pipeline.training.trainingId`).
 *
 * @example
 * ```ts
 * await savePipelineDir('models', pipeline); // models/releases/20261201T101500Z-3f9a1c/…
 * ```
 */
export async function savePipelineDir(
  dir: string,
  pipeline: Pipeline,
  options: SavePipelineDirOptions = {},
): Promise<string> {
  try {
    return await saveRelease(dir, pipeline, options);
  } catch (error) {
    const message = fsFailure(error, (error as { path?: string }).path ?? dir, 'write');
    if (!message) throw error;
    throw new PipelineError({
      code: 'WRITE_FAILED',
      message: `${message}; ${dir} was left as it was`,
      cause: error,
      source: dir,
    });
  }
}

async function saveRelease(
  dir: string,
  pipeline: Pipeline,
  options: SavePipelineDirOptions,
): Promise<string> {
  // The links are swapped one by one after the set is in place: a name a link cannot replace (a
  // folder) is refused before anything is written, not found after `current` has moved.
  await refuseFolders(dir, [CURRENT_LINK, ...Object.values(PIPELINE_FILES['models-dir'])]);
  const releases = join(dir, RELEASES);
  await mkdir(releases, { recursive: true });
  await removeLeftovers(dir, releases);
  const trainingId = pipeline.training.trainingId ?? newTrainingId();
  pipeline.training = { ...pipeline.training, trainingId };
  const files = pipelineFiles(pipeline, 'models-dir');

  const staging = join(releases, `${STAGING}${trainingId}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  try {
    for (const [name, content] of Object.entries(files))
      await writeFileAtomic(join(staging, name), content);
    await rm(join(releases, trainingId), { recursive: true, force: true });
    await rename(staging, join(releases, trainingId));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await replaceWithLink(dir, CURRENT_LINK, join(RELEASES, trainingId));
  for (const name of Object.keys(files)) await replaceWithLink(dir, name, join(CURRENT_LINK, name));
  await prune(releases, trainingId, options.keepPrevious ?? 1);
  return trainingId;
}

/**
 * A training session's id, `20261201T101500Z-3f9a1c`: sorts by time, unique per session; every file
 * the session writes carries it.
 *
 * @example
 * ```ts
 * pipeline.training = { ...pipeline.training, trainingId: newTrainingId() };
 * ```
 */
export function newTrainingId(): string {
  const time = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${time}-${randomBytes(3).toString('hex')}`;
}

/** Fails with EISDIR when one of `names` in `dir` is a folder (a rename of a link cannot replace it). */
async function refuseFolders(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const path = join(dir, name);
    if ((await lstat(path).catch(() => undefined))?.isDirectory()) {
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, rename '${path}'`), {
        code: 'EISDIR',
        path,
      });
    }
  }
}

/** Makes `dir/name` a symlink to `target` (relative), replacing whatever is there with one rename. */
async function replaceWithLink(dir: string, name: string, target: string): Promise<void> {
  const path = join(dir, name);
  const existing = await readlink(path).catch(() => undefined);
  if (existing === target) return;
  const temp = join(dir, `${TEMP_LINK}${randomBytes(4).toString('hex')}`);
  await symlink(target, temp);
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * A staging folder or temporary link this old is a killed save's (a save takes seconds); a younger
 * one may be a concurrent save's, mid-write, and is left alone.
 */
const LEFTOVER_AGE_MS = 10 * 60_000;

/**
 * Staging folders and temporary links of a killed save, and the seed's own temporary files, once
 * they are {@link LEFTOVER_AGE_MS} old: a concurrent save (another process, or this one) keeps its own.
 */
async function removeLeftovers(dir: string, releases: string): Promise<void> {
  const now = Date.now();
  const removeIfOld = async (path: string) => {
    const info = await lstat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > LEFTOVER_AGE_MS)
      await rm(path, { recursive: true, force: true });
  };
  for (const name of await readdir(releases)) {
    if (name.startsWith(STAGING)) await removeIfOld(join(releases, name));
  }
  for (const name of await readdir(dir)) {
    if (name.startsWith(TEMP_LINK) || /^\..+\.[0-9a-f]{12}\.tmp$/.test(name))
      await removeIfOld(join(dir, name));
  }
}

/**
 * Removes the sets older than the current one but the `keep` newest of them (a newer set may be a
 * concurrent training's, about to be switched to: left alone).
 */
async function prune(releases: string, current: string, keep: number): Promise<void> {
  const sets = (await readdir(releases)).filter((name) => !name.startsWith('.')).sort();
  const older = sets.filter((name) => name < current);
  for (const name of older.slice(0, Math.max(0, older.length - keep))) {
    const info = await lstat(join(releases, name)).catch(() => undefined);
    if (info?.isDirectory()) await rm(join(releases, name), { recursive: true, force: true });
  }
}
