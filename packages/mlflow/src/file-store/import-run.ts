import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@heart/internal';
import { MlflowError } from '../errors.js';
import { newUuidHex } from '../internal/ids.js';
import { pythonFloat } from '../internal/python-format.js';
import type { Experiment, Metric, Param, RunInfo, RunTag } from '../types.js';
import { writeKeyFile } from './key-files.js';
import { runMetaYaml, type StoredRunInfo } from './run-meta.js';
import { findRunFolder } from './runs.js';
import { buildInPlace } from './staging.js';

/** A whole run to write into a file store at once. */
export interface RunImport {
  /** The id to give the run when no run of the store has it yet (else a new one is made). */
  preferredRunId: string;
  info: Pick<RunInfo, 'runName' | 'userId' | 'status' | 'startTime' | 'endTime'>;
  params: readonly Param[];
  /** Tags; `tagsFor` adds those that name the run's final id. */
  tags: readonly RunTag[];
  tagsFor?: (runId: string) => RunTag[];
  /** Every point, each key's in order. */
  metrics: readonly Metric[];
  /** Fills the run's `artifacts/` folder (it is not yet where MLflow looks). */
  artifacts: (folder: string) => Promise<void>;
}

/**
 * Writes a complete run — params, tags, every metric point, artifacts, `meta.yaml` last — in a
 * staging folder where no reader looks, and renames it into `<experiment>/<run id>/` in one step:
 * a process killed at any moment leaves the run whole or not at all. The run keeps
 * `preferredRunId` when no run of the store (in any experiment) has that id.
 */
export async function importRunFolder(
  root: string,
  experiment: Experiment,
  run: RunImport,
): Promise<{ runId: string; artifactUri: string }> {
  const free =
    /^[a-zA-Z0-9][\w-]{0,255}$/.test(run.preferredRunId) &&
    !(await findRunFolder(root, run.preferredRunId));
  const runId = free ? run.preferredRunId : newUuidHex();
  const artifactUri = `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`;
  const info: StoredRunInfo = {
    ...run.info,
    runId,
    experimentId: experiment.experimentId,
    artifactUri,
    lifecycleStage: 'active',
  };
  const folder = join(root, experiment.experimentId, runId);
  const installed = await buildInPlace(root, folder, async (staged) => {
    await Promise.all(
      ['metrics', 'params', 'tags', 'artifacts'].map((sub) => mkdir(join(staged, sub))),
    );
    for (const tag of [...run.tags, ...(run.tagsFor?.(runId) ?? [])])
      await writeKeyFile(staged, 'tags', tag.key, tag.value);
    for (const param of run.params) await writeKeyFile(staged, 'params', param.key, param.value);
    const lines = new Map<string, string[]>();
    for (const point of run.metrics) {
      const line = `${point.timestamp} ${pythonFloat(point.value)} ${point.step}\n`;
      const known = lines.get(point.key);
      if (known) known.push(line);
      else lines.set(point.key, [line]);
    }
    for (const [key, text] of lines) {
      const file = join(staged, 'metrics', ...key.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text.join(''));
    }
    await run.artifacts(join(staged, 'artifacts'));
    await writeFileAtomic(join(staged, 'meta.yaml'), runMetaYaml(info));
  });
  if (!installed)
    throw new MlflowError({ code: 'INTERNAL_ERROR', message: `run folder ${folder} exists` });
  return { runId, artifactUri };
}
