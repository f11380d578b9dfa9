import { constants } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@heart/internal';
import { invalidParameter } from '../errors.js';
import { pythonFloat } from '../internal/python-format.js';
import type { LogBatchRequest } from '../tracking-store.js';
import type { Param } from '../types.js';
import { changedParamError } from '../validation.js';
import { writeKeyFile } from './key-files.js';
import { runMetaYaml } from './run-meta.js';
import type { StoredRun } from './runs.js';

/**
 * Writes a batch into a run folder as MLflow's file store does: params (each once; the same value
 * again is a no-op, another value is refused), tags (a new `mlflow.runName` renames the run in
 * `meta.yaml`), then one append of whole lines per metric. Every check comes first: a refused
 * batch writes nothing. Call it holding the run's lock.
 */
export async function writeRunBatch(run: StoredRun, batch: LogBatchRequest): Promise<void> {
  const { folder, info } = run;
  if (info.lifecycleStage !== 'active') {
    throw invalidParameter(`The run ${info.runId} must be in 'active' lifecycle_stage.`);
  }
  const params: Param[] = [];
  for (const param of batch.params ?? []) {
    const existing = await readFile(join(folder, 'params', ...param.key.split('/')), 'utf8').catch(
      () => undefined,
    );
    if (existing === undefined) params.push(param);
    else if (existing !== param.value)
      throw changedParamError(info.runId, param.key, existing, param.value);
  }
  for (const param of params) await writeKeyFile(folder, 'params', param.key, param.value);
  let renamed: string | undefined;
  for (const tag of batch.tags ?? []) {
    await writeKeyFile(folder, 'tags', tag.key, tag.value);
    if (tag.key === 'mlflow.runName') renamed = tag.value;
  }
  if (renamed !== undefined && renamed !== info.runName) {
    await writeFileAtomic(join(folder, 'meta.yaml'), runMetaYaml({ ...info, runName: renamed }));
  }
  const lines = new Map<string, string>();
  for (const metric of batch.metrics ?? []) {
    lines.set(
      metric.key,
      `${lines.get(metric.key) ?? ''}${metric.timestamp} ${pythonFloat(metric.value)} ${metric.step}\n`,
    );
  }
  for (const [key, text] of lines) {
    const file = join(folder, 'metrics', ...key.split('/'));
    // One append of whole lines to a metric file that exists: never a partial line. A new metric's
    // file is made with its first lines in one rename: an append that creates the file opens it
    // before it writes, and a writer killed between the two leaves an empty metric file, which
    // MLflow answers 500 for.
    const appended = await appendFile(file, text, { flag: APPEND_EXISTING }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (!appended) await writeFileAtomic(file, text, { tempDir: folder });
  }
}

/** Append, failing with ENOENT rather than creating the file. */
const APPEND_EXISTING = constants.O_WRONLY | constants.O_APPEND;
