import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MlflowError } from '../errors.js';
import type { TrackingStore } from '../tracking-store.js';
import type { RunInfo } from '../types.js';
import { checkArtifactPath } from './artifact-path.js';

/**
 * Copies a run's artifact file or folder (recursively) from the store into `destination`; returns
 * the local path of what was downloaded.
 */
export async function downloadArtifacts(
  store: TrackingStore,
  run: RunInfo,
  path: string,
  destination: string,
): Promise<string> {
  const relative = checkArtifactPath(path);
  const parent = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
  const siblings = await store.listArtifacts(run, parent);
  const entry = siblings.find((file) => file.path === relative);
  const target = join(destination, ...relative.split('/'));
  if (relative !== '' && !entry) {
    throw new MlflowError({
      code: 'RESOURCE_DOES_NOT_EXIST',
      status: 404,
      message: `artifact ${path} not found in run ${run.runId}`,
    });
  }
  if (relative === '' || entry?.isDir) {
    await mkdir(target, { recursive: true });
    for (const child of await store.listArtifacts(run, relative)) {
      await downloadArtifacts(store, run, child.path, destination);
    }
    return target;
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, await store.readArtifact(run, relative));
  return target;
}
