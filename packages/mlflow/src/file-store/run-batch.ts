import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { appendFile, link, lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
  await assertKeyPaths(
    folder,
    'params',
    (batch.params ?? []).map((param) => param.key),
  );
  await assertKeyPaths(
    folder,
    'tags',
    (batch.tags ?? []).map((tag) => tag.key),
  );
  await assertKeyPaths(
    folder,
    'metrics',
    (batch.metrics ?? []).map((metric) => metric.key),
  );
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
    await appendMetricLines(folder, join(folder, 'metrics', ...key.split('/')), text);
  }
}

/**
 * Refuses keys whose files cannot be written: a key `a` when `a/…` keys are logged (`a` is a
 * folder), a key `a/b` when `a` is logged (`a` is a file), or both in one batch. Checked before
 * anything is written, so such a batch writes nothing (else its first keys land and a retry
 * appends their points again).
 */
async function assertKeyPaths(
  folder: string,
  kind: 'params' | 'tags' | 'metrics',
  keys: readonly string[],
): Promise<void> {
  const unique = new Set(keys);
  for (const key of unique) {
    // A key of the batch that is a folder of this one (`a` beside `a/b`): no file for it.
    for (let at = key.indexOf('/'); at >= 0; at = key.indexOf('/', at + 1)) {
      if (unique.has(key.slice(0, at))) throw keyClash(kind, key, key.slice(0, at));
    }
    const parts = key.split('/');
    for (let end = 1; end <= parts.length; end++) {
      const info = await lstat(join(folder, kind, ...parts.slice(0, end))).catch(() => undefined);
      if (!info) break;
      const last = end === parts.length;
      if (last && info.isDirectory()) throw keyClash(kind, key, `${key}/…`);
      if (!last && !info.isDirectory()) throw keyClash(kind, key, parts.slice(0, end).join('/'));
    }
  }
}

const keyClash = (kind: string, key: string, other: string) =>
  invalidParameter(
    `Invalid ${kind} key '${key}': it clashes with the ${kind} key '${other}' (the file store keeps a key and the keys below it in one path). Nothing of the batch was written.`,
  );

/** Append, failing with ENOENT rather than creating the file. */
const APPEND_EXISTING = constants.O_WRONLY | constants.O_APPEND;
/** What `link` answers on a filesystem without hard links. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

const appendIfExists = (file: string, text: string): Promise<boolean> =>
  appendFile(file, text, { flag: APPEND_EXISTING }).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );

/**
 * One append of whole lines to a metric file: never a partial line. A new metric's file appears
 * with its first lines: written beside the run (the temporary file in `folder`) and hard-linked
 * into place. An append that creates the file opens it before it writes, and a writer killed
 * between the two would leave an empty metric file, which MLflow answers 500 for; and unlike a
 * rename, the link fails if another writer (another store, another process, MLflow itself) made
 * the file meanwhile, whose lines are then appended to, not replaced.
 */
async function appendMetricLines(folder: string, file: string, text: string): Promise<void> {
  if (await appendIfExists(file, text)) return;
  await mkdir(dirname(file), { recursive: true });
  const temp = join(folder, `.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await appendIfExists(file, text))) return;
    // Without hard links, create and append as MLflow itself does.
    if (code !== undefined && NO_HARD_LINKS.has(code)) await appendFile(file, text);
    else throw error;
  } finally {
    await rm(temp, { force: true });
  }
}
