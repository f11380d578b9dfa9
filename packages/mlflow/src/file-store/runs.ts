import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@heart/internal';
import { MlflowError } from '../errors.js';
import { newUuidHex } from '../internal/ids.js';
import type { CreateRunRequest } from '../tracking-store.js';
import type { Experiment, Metric, RunData } from '../types.js';
import { readKeyFiles, writeKeyFile } from './key-files.js';
import { corruptStore, unwrap } from './meta-verdict.js';
import { latestMetric, parseMetricFile } from './metric-file.js';
import { readRunMeta, runMetaYaml, type StoredRunInfo } from './run-meta.js';
import { buildInPlace } from './staging.js';
import { EXPERIMENT_RESERVED, exists, experimentParents, ROOT_RESERVED } from './store-layout.js';

/** A run's folder and its `meta.yaml` as read. */
export interface StoredRun {
  folder: string;
  info: StoredRunInfo;
}

/**
 * Writes a new run of `experiment` as SPEC §2.9 orders it — folders, tag files, `meta.yaml` last —
 * in a staging folder, and renames the complete folder into place: a kill at any moment leaves no
 * run folder without its `meta.yaml` (MLflow's `search-datasets`, on every experiment page of the
 * UI, answers 500 for one).
 */
export async function createRunFolder(
  root: string,
  experiment: Experiment,
  request: CreateRunRequest,
): Promise<StoredRun> {
  const runId = newUuidHex();
  const folder = join(root, request.experimentId, runId);
  const info: StoredRunInfo = {
    runId,
    experimentId: request.experimentId,
    runName: request.runName,
    userId: request.userId,
    status: 'RUNNING',
    startTime: request.startTime,
    artifactUri: `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`,
    lifecycleStage: 'active',
  };
  const installed = await buildInPlace(root, folder, async (staged) => {
    await Promise.all(
      ['metrics', 'params', 'tags', 'artifacts'].map((sub) => mkdir(join(staged, sub))),
    );
    for (const tag of request.tags) await writeKeyFile(staged, 'tags', tag.key, tag.value);
    await writeFileAtomic(join(staged, 'meta.yaml'), runMetaYaml(info));
  });
  if (!installed) throw new MlflowError({ code: 'INTERNAL_ERROR', message: `run ${runId} exists` });
  return { folder, info };
}

/** The folder of run `runId` in any experiment (active or deleted), or `undefined`. */
export async function findRunFolder(root: string, runId: string): Promise<string | undefined> {
  let folder: string | undefined;
  for (const base of experimentParents(root)) {
    const entries = await readdir(base, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || (base === root && ROOT_RESERVED.has(entry.name))) continue;
      if (await exists(join(base, entry.name, runId, 'meta.yaml')))
        folder = join(base, entry.name, runId);
    }
  }
  return folder;
}

/** The `meta.yaml` of the run in `folder`; one MLflow would skip is `INVALID_STATE`. */
export async function readRunInfo(folder: string, runId: string): Promise<StoredRunInfo> {
  const file = join(folder, 'meta.yaml');
  const experimentId = join(folder, '..').split(/[\\/]/).pop()!;
  const verdict = readRunMeta(await readFile(file, 'utf8').catch(() => undefined), {
    runId,
    experimentId,
  });
  const info = unwrap(verdict, file);
  if (!info)
    throw new MlflowError({
      code: 'INVALID_STATE',
      status: 500,
      message: `Run '${runId}' metadata is in invalid state: ${verdict.kind === 'skip' ? verdict.reason : ''}`,
    });
  return info;
}

/** Every run of an experiment folder MLflow would list. */
export async function listRunInfos(
  experimentFolder: string,
  experimentId: string,
): Promise<StoredRun[]> {
  const entries = await readdir(experimentFolder, { withFileTypes: true }).catch(() => []);
  const runs = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || EXPERIMENT_RESERVED.has(entry.name)) continue;
    const folder = join(experimentFolder, entry.name);
    const file = join(folder, 'meta.yaml');
    const info = unwrap(
      readRunMeta(await readFile(file, 'utf8').catch(() => undefined), {
        runId: entry.name,
        experimentId,
      }),
      file,
    );
    if (info) runs.push({ folder, info });
  }
  return runs;
}

/**
 * A run's latest metrics, params and tags; `info.runName` is filled from the `mlflow.runName`
 * tag when `meta.yaml` has none.
 */
export async function readRunData(folder: string, info: StoredRunInfo): Promise<RunData> {
  const metrics: Metric[] = [];
  for (const [key, text] of await readKeyFiles(join(folder, 'metrics'))) {
    const points = parseMetricFile(key, text);
    if (typeof points === 'string') throw corruptStore(join(folder, 'metrics', key), points);
    metrics.push(latestMetric(points));
  }
  const params = (await readKeyFiles(join(folder, 'params'))).map(([key, value]) => ({
    key,
    value,
  }));
  const tags = (await readKeyFiles(join(folder, 'tags'))).map(([key, value]) => ({ key, value }));
  if (!info.runName) {
    const nameTag = tags.find((tag) => tag.key === 'mlflow.runName');
    if (nameTag) info.runName = nameTag.value;
  }
  return { metrics, params, tags };
}

/** The points of one metric file, in file order (none when the metric was never logged). */
export async function readMetricHistory(folder: string, key: string): Promise<Metric[]> {
  const file = join(folder, 'metrics', ...key.split('/'));
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const points = parseMetricFile(key, text);
  if (typeof points === 'string') throw corruptStore(file, points);
  return points;
}
