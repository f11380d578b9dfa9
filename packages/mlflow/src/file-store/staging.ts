import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const TRASH = '.trash';
const PREFIX = 'heart-staging-';

/** A staged folder: `path` to fill, inside `container` (removed with it). */
export interface StagedFolder {
  path: string;
  container: string;
  /** `false` (and the staged folder removed) when `target` exists already: the name was taken. */
  install(target: string): Promise<boolean>;
  discard(): Promise<void>;
}

/**
 * A folder to build a run, an experiment or a registry entry in, where no MLflow reader looks, on
 * the store's own file system: `<root>/.trash/heart-staging-<hex>/<name>/`. MLflow reads every
 * folder of the root (hidden ones too) as an experiment and every folder of an experiment as a
 * run, so a staging folder there breaks `experiments/search` (400) or `search-datasets` (500);
 * `.trash/` is read as deleted experiments, and its `heart-staging-*` folders hold no `meta.yaml`,
 * so that reader skips them. `install` renames the complete folder into place in one step.
 */
export function stageFolder(root: string, name: string): Promise<StagedFolder> {
  return stageIn(join(root, TRASH, `${PREFIX}${randomBytes(8).toString('hex')}`), name);
}

/**
 * A staging folder `<folder>/.heart-staging-<hex>/<name>/`, for a folder that no MLflow reader
 * lists (the caller knows why: see `putLocalFolder`). {@link sweepStagingIn} removes leftovers.
 */
export function stageFolderIn(folder: string, name: string): Promise<StagedFolder> {
  return stageIn(join(folder, `.${PREFIX}${randomBytes(8).toString('hex')}`), name);
}

async function stageIn(container: string, name: string): Promise<StagedFolder> {
  const path = join(container, name);
  await mkdir(path, { recursive: true });
  const discard = () => rm(container, { recursive: true, force: true });
  return {
    path,
    container,
    discard,
    async install(target) {
      try {
        await rename(path, target);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') return false;
        throw error;
      } finally {
        await discard();
      }
    },
  };
}

/** Runs `fill` on a staged folder, then installs it; a failure leaves nothing half-built. */
export async function buildInPlace(
  root: string,
  target: string,
  fill: (folder: string) => Promise<void>,
): Promise<boolean> {
  const staged = await stageFolder(root, 'entry');
  try {
    await fill(staged.path);
  } catch (error) {
    await staged.discard();
    throw error;
  }
  return staged.install(target);
}

/**
 * Removes a folder the reader must never see half-removed: renamed out of sight (into a staging
 * container), then deleted.
 */
export async function removeOutOfSight(root: string, folder: string): Promise<void> {
  const staged = await stageFolder(root, 'gone');
  await rm(staged.path, { recursive: true, force: true });
  try {
    await rename(folder, staged.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
      await staged.discard();
      throw error;
    }
    await rm(folder, { recursive: true, force: true });
  }
  await staged.discard();
}

/** Whether a `.trash/` entry is one of heart's staging containers. */
export function isStagingName(name: string): boolean {
  return name.startsWith(PREFIX) || name.startsWith('heart-tmp-');
}

/**
 * Removes what killed writers left in `.trash/` (staging containers older than `ageMs`, so that
 * another process's folder in use stays; also the registry's earlier `heart-tmp-*` folders).
 */
export function sweepStaging(root: string, now: number, ageMs = 3_600_000): Promise<void> {
  return sweep(join(root, TRASH), isStagingName, now, ageMs);
}

/** Removes the `.heart-staging-*` containers of {@link stageFolderIn} older than `ageMs`. */
export function sweepStagingIn(folder: string, now: number, ageMs = 3_600_000): Promise<void> {
  return sweep(folder, (name) => name.startsWith(`.${PREFIX}`), now, ageMs);
}

async function sweep(
  folder: string,
  matches: (name: string) => boolean,
  now: number,
  ageMs: number,
): Promise<void> {
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!matches(name)) continue;
    const info = await stat(join(folder, name)).catch(() => undefined);
    if (info && now - info.mtimeMs > ageMs)
      await rm(join(folder, name), { recursive: true, force: true });
  }
}
