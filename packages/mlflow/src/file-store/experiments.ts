import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@heart/internal';
import { invalidParameter, MlflowError } from '../errors.js';
import { newExperimentId } from '../internal/ids.js';
import type { Experiment, ExperimentTag } from '../types.js';
import { LIMITS } from '../validation.js';
import { experimentMetaYaml, readExperimentMeta } from './experiment-meta.js';
import { readKeyFiles, writeKeyFile } from './key-files.js';
import { unwrap } from './meta-verdict.js';
import { buildInPlace } from './staging.js';
import { exists, experimentParents, fileUri, ROOT_RESERVED, TRASH } from './store-layout.js';

/** Every experiment MLflow would list, active ones (the root) then deleted ones (`.trash`). */
export async function listExperiments(root: string): Promise<Experiment[]> {
  const experiments: Experiment[] = [];
  for (const base of experimentParents(root)) {
    const entries = await readdir(base, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || (base === root && ROOT_RESERVED.has(entry.name))) continue;
      const experiment = await readExperiment(join(base, entry.name), entry.name);
      if (experiment) experiments.push(experiment);
    }
  }
  return experiments;
}

/** The experiment in `folder` with its tags; `undefined` where MLflow skips it. */
export async function readExperiment(
  folder: string,
  experimentId: string,
): Promise<Experiment | undefined> {
  const file = join(folder, 'meta.yaml');
  const meta = unwrap(
    readExperimentMeta(await readFile(file, 'utf8').catch(() => undefined), experimentId),
    file,
  );
  if (!meta) return undefined;
  const tags = await readKeyFiles(join(folder, 'tags'));
  return { ...meta, tags: tags.map(([key, value]) => ({ key, value })) };
}

/** The folder of an experiment (active or deleted), or `undefined`. */
export async function findExperimentFolder(
  root: string,
  experimentId: string,
): Promise<string | undefined> {
  if (!/^[a-zA-Z0-9][\w-]{0,63}$/.test(experimentId)) return undefined;
  for (const base of experimentParents(root)) {
    const folder = join(base, experimentId);
    if (await exists(folder)) return folder;
  }
  return undefined;
}

/** SPEC §2.9.7: a new store gets `.trash/` and the Default experiment `0`. */
export async function ensureStoreRoot(root: string): Promise<void> {
  if (await exists(join(root, '0', 'meta.yaml'))) return;
  const fresh = !(await exists(root));
  await mkdir(join(root, TRASH), { recursive: true });
  if (!fresh) return;
  const folder = join(root, '0');
  await mkdir(folder, { recursive: true });
  await writeExperimentMeta(folder, '0', 'Default');
}

/** Refuses an experiment name MLflow refuses: empty, or longer than 500 characters. */
export function assertExperimentName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalidParameter(
      "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
    );
  }
  if (Array.from(name).length > LIMITS.experimentNameLength) {
    throw invalidParameter(
      `Experiment name exceeds the ${LIMITS.experimentNameLength} characters MLflow allows`,
    );
  }
}

/**
 * Creates an experiment folder with a fresh 18-digit id: tag files first, `meta.yaml` last.
 * `RESOURCE_ALREADY_EXISTS` when the name is taken (also by a deleted experiment). Call it
 * holding the experiment lock.
 */
export async function createExperimentFolder(
  root: string,
  name: string,
  tags: readonly ExperimentTag[],
): Promise<string> {
  const existing = (await listExperiments(root)).find((experiment) => experiment.name === name);
  if (existing) {
    throw new MlflowError({
      code: 'RESOURCE_ALREADY_EXISTS',
      status: 400,
      message:
        existing.lifecycleStage === 'deleted'
          ? `Experiment '${name}' already exists in deleted state. You can restore the experiment, or permanently delete the experiment from the .trash folder (under tracking server's root folder) in order to use this experiment name again.`
          : `Experiment '${name}' already exists.`,
    });
  }
  let experimentId = newExperimentId();
  while (await exists(join(root, experimentId))) experimentId = newExperimentId();
  const folder = join(root, experimentId);
  // Built aside and renamed into place: a half-made experiment folder is never listed.
  await buildInPlace(root, folder, async (staged) => {
    for (const tag of tags) await writeKeyFile(staged, 'tags', tag.key, tag.value);
    await writeExperimentMeta(staged, experimentId, name, folder);
  });
  return experimentId;
}

async function writeExperimentMeta(
  folder: string,
  experimentId: string,
  name: string,
  /** Where the folder will live (its artifact location), when it is built elsewhere. */
  home = folder,
) {
  const now = Date.now();
  await writeFileAtomic(
    join(folder, 'meta.yaml'),
    experimentMetaYaml({
      experimentId,
      name,
      artifactLocation: fileUri(home),
      lifecycleStage: 'active',
      creationTime: now,
      lastUpdateTime: now,
    }),
  );
}
