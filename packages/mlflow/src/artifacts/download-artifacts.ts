import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@heart/internal';
import { MlflowError } from '../errors.js';
import type { ArtifactLocation, TrackingStore } from '../tracking-store.js';
import { checkArtifactPath } from './artifact-path.js';

/**
 * Copies a run's artifact file or folder (recursively) from the store into `destination`; returns
 * the local path of what was downloaded.
 */
export async function downloadArtifacts(
  store: TrackingStore,
  run: ArtifactLocation,
  path: string,
  destination: string,
): Promise<string> {
  const relative = checkArtifactPath(path);
  const target = join(destination, ...relative.split('/'));
  if (relative === '') {
    await downloadStaged(store, run, '', destination);
    return target;
  }
  const parent = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
  const entry = (await store.listArtifacts(run, parent)).find((file) => file.path === relative);
  if (!entry) {
    throw new MlflowError({
      code: 'RESOURCE_DOES_NOT_EXIST',
      status: 404,
      message: `artifact ${path} not found in run ${run.runId}`,
    });
  }
  if (entry.isDir) {
    await downloadStaged(store, run, relative, destination);
    return target;
  }
  await writeFileAtomic(target, await store.readArtifact(run, relative));
  return target;
}

/**
 * {@link downloadTree} into a hidden folder of `destination`, then every file renamed into place:
 * a download cut part-way (a dropped connection, a missing file) leaves no part of the folder.
 */
async function downloadStaged(
  store: TrackingStore,
  run: ArtifactLocation,
  relative: string,
  destination: string,
): Promise<void> {
  await mkdir(destination, { recursive: true });
  const staging = await mkdtemp(join(destination, '.heart-download-'));
  try {
    await downloadTree(store, run, relative, staging);
    await moveInto(staging, destination);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Moves the files below `from` to the same places below `to`, one rename each. */
async function moveInto(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await moveInto(join(from, entry.name), join(to, entry.name));
    else await rename(join(from, entry.name), join(to, entry.name));
  }
}

/**
 * Copies the folder `relative` (`''` for the root) of an artifact location into `destination`,
 * listing each folder once and reading each file once; returns how many files it copied.
 */
export async function downloadTree(
  store: TrackingStore,
  location: ArtifactLocation,
  relative: string,
  destination: string,
): Promise<number> {
  await mkdir(join(destination, ...relative.split('/')), { recursive: true });
  let files = 0;
  for (const child of await store.listArtifacts(location, relative)) {
    const path = checkArtifactPath(child.path);
    // A listing that names the folder itself again would never end.
    if (path === relative) continue;
    if (child.isDir) {
      files += await downloadTree(store, location, path, destination);
      continue;
    }
    const target = join(destination, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await store.readArtifact(location, path));
    files++;
  }
  return files;
}
