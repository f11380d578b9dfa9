import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const TRASH = '.trash';
const PREFIX = 'heart-staging-';

/**
 * A folder to build a run, an experiment or a registry entry in, where no MLflow reader looks, on
 * the store's own file system: `<root>/.trash/heart-staging-<hex>/<name>/`. MLflow reads every
 * folder of the root (hidden ones too) as an experiment and every folder of an experiment as a
 * run, so a staging folder there breaks `experiments/search` (400) or `search-datasets` (500);
 * `.trash/` is read as deleted experiments, and its `heart-staging-*` folders hold no `meta.yaml`,
 * so that reader skips them. `install` renames the complete folder into place in one step.
 */
export async function stageFolder(
  root: string,
  name: string,
): Promise<{ path: string; install(target: string): Promise<boolean>; discard(): Promise<void> }> {
  const container = join(root, TRASH, `${PREFIX}${randomBytes(8).toString('hex')}`);
  const path = join(container, name);
  await mkdir(path, { recursive: true });
  const discard = () => rm(container, { recursive: true, force: true });
  return {
    path,
    discard,
    /** `false` (and the staged folder removed) when `target` exists already: the name was taken. */
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
export async function sweepStaging(root: string, now: number, ageMs = 3_600_000): Promise<void> {
  const trash = join(root, TRASH);
  for (const name of await readdir(trash).catch(() => [] as string[])) {
    if (!isStagingName(name)) continue;
    const info = await stat(join(trash, name)).catch(() => undefined);
    if (info && now - info.mtimeMs > ageMs)
      await rm(join(trash, name), { recursive: true, force: true });
  }
}
