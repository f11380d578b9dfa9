import { mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import {
  type StagedFolder,
  stageFolder,
  stageFolderIn,
  sweepStaging,
  sweepStagingIn,
} from '../file-store/staging.js';
import { exists, TRASH } from '../file-store/store-layout.js';
import type { ArtifactFiles } from '../tracking-store.js';
import { checkArtifactPath } from './artifact-path.js';
import { putLocalArtifact } from './local-artifacts.js';

/**
 * Writes the files of one artifact folder (a model: its data files, `MLmodel` last) to
 * `<root>/<artifactPath>/` so that a reader sees the folder whole or not at all, even when the
 * process is killed mid-way: every file is written and fsynced into a staging folder on the same
 * file system, which is then renamed into place. A folder already there (the same path logged
 * again) is first renamed into the staging container, out of sight, and removed with it: the new
 * folder replaces it whole. Where no staging folder can be had on the target's file system, or
 * the old folder cannot be moved, the files are written one by one in the order given.
 * `storeRoot`: the file store that `root` belongs to, when the caller knows it.
 */
export async function putLocalFolder(
  root: string,
  artifactPath: string,
  files: ArtifactFiles,
  storeRoot?: string,
): Promise<void> {
  const folder = checkArtifactPath(artifactPath);
  const target = join(root, ...folder.split('/'));
  // Nested paths (`a/b/model`): the parents first; they hold no model files of their own.
  await mkdir(dirname(target), { recursive: true });
  // A model at the artifact root itself cannot be swapped in: the root holds other artifacts.
  const staged = folder === '' ? undefined : await stageNear(root, dirname(target), storeRoot);
  if (staged) {
    try {
      for (const [name, bytes] of files) await putLocalArtifact(staged.path, name, { bytes });
      await syncTree(staged.path);
    } catch (error) {
      await staged.discard();
      throw error;
    }
    const installed = await replaceWith(staged, target).finally(() => staged.discard());
    if (installed) {
      await syncFolder(dirname(target));
      return;
    }
  }
  for (const [name, bytes] of files)
    await putLocalArtifact(root, posix.join(folder, name), { bytes });
}

/**
 * A staging folder on the file system of `parent` (the target's folder), where no MLflow reader
 * looks, or `undefined`:
 * - an artifact root inside a file store (`<store>/<exp>/<run>/artifacts`): the store's
 *   `.trash/heart-staging-*` (see `stageFolder`; swept by `sweepStaging`);
 * - else, or when that is on another file system: `.heart-staging-*` in the artifact root's
 *   parent (swept by `sweepStagingIn`). Not inside the artifact root, where `list_artifacts`
 *   would show it. Its parent is the run's folder (MLflow puts artifacts at
 *   `<location>/<run>/artifacts`): of a server's artifact destination, which MLflow only reads
 *   below `artifacts/`, or of a file store, whose run reader ignores extra entries. Nothing
 *   higher: a folder in an experiment folder is read as a run, one in a store root as an
 *   experiment, hidden ones included.
 */
/** Stores whose `.trash` this process has swept: a leftover is old news after the first look. */
const sweptStores = new Set<string>();

/** `sweepStaging` of a store's `.trash`, once per store and process (as the registry does). */
async function sweepOnce(store: string, now: number): Promise<void> {
  const key = resolve(store);
  if (sweptStores.has(key)) return;
  await sweepStaging(store, now);
  sweptStores.add(key);
}

async function stageNear(
  root: string,
  parent: string,
  storeRoot: string | undefined,
): Promise<StagedFolder | undefined> {
  const store = await enclosingStore(root, storeRoot);
  const beside = dirname(root);
  const now = Date.now();
  const places: (() => Promise<StagedFolder>)[] = [
    ...(store ? [() => sweepOnce(store, now).then(() => stageFolder(store, 'model'))] : []),
    () => sweepStagingIn(beside, now).then(() => stageFolderIn(beside, 'model')),
  ];
  const device = (await stat(parent)).dev;
  for (const place of places) {
    const staged = await place().catch(() => undefined);
    if (!staged) continue;
    if ((await stat(staged.path)).dev === device) return staged;
    await staged.discard();
  }
  return undefined;
}

/** The file store whose run `root` is the artifact folder of: `storeRoot` if it holds `root`. */
async function enclosingStore(
  root: string,
  storeRoot: string | undefined,
): Promise<string | undefined> {
  if (storeRoot !== undefined) {
    const inside = relative(resolve(storeRoot), resolve(root));
    if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) return storeRoot;
  }
  if (basename(root) !== 'artifacts') return undefined;
  const run = dirname(root);
  const experiment = dirname(run);
  const store = dirname(experiment);
  const marks = [join(store, TRASH), join(experiment, 'meta.yaml'), join(run, 'meta.yaml')];
  return (await Promise.all(marks.map(exists))).every(Boolean) ? store : undefined;
}

/** Errors of a rename onto a name that is taken (by a folder with files, or a file). */
const TAKEN = new Set(['EEXIST', 'ENOTEMPTY', 'ENOTDIR', 'EISDIR', 'EPERM']);

/**
 * Renames `staged` to `target`. What is at `target` already is first renamed into the staging
 * container, out of sight, to be removed with it: a reader sees the old folder, then for a moment
 * none, then the new one, never a mix. `false` when the old one cannot be moved (or the staged
 * folder is on another file system after all).
 */
async function replaceWith(staged: StagedFolder, target: string): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await rename(staged.path, target);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EXDEV') return false;
      if (!TAKEN.has(code)) throw error;
    }
    try {
      await rename(target, join(staged.container, `replaced-${attempt}`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
  }
  return false;
}

/** fsyncs `folder` and every folder below it (the files were fsynced as they were written). */
async function syncTree(folder: string): Promise<void> {
  for (const entry of await readdir(folder, { withFileTypes: true }))
    if (entry.isDirectory()) await syncTree(join(folder, entry.name));
  await syncFolder(folder);
}

/** fsyncs a folder's entries; best effort (some systems cannot open a folder for it). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
