import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MlflowError } from '../errors.js';
import { pythonJsonDumps } from '../internal/python-format.js';
import type { LoggedModelEntry } from '../tracking-store.js';
import { writeKeyFile } from './key-files.js';

const HISTORY_TAG = 'mlflow.log-model.history';

/**
 * Appends a logged model to the run's `mlflow.log-model.history` tag (SPEC §5.3), a JSON list in
 * Python's spacing. Call it holding the run's lock.
 */
export async function appendModelHistory(
  runFolder: string,
  entry: LoggedModelEntry,
): Promise<void> {
  const file = join(runFolder, 'tags', HISTORY_TAG);
  const current = await readFile(file, 'utf8').catch(() => undefined);
  let history: unknown[] = [];
  if (current !== undefined) {
    try {
      history = JSON.parse(current) as unknown[];
    } catch (error) {
      throw new MlflowError({
        code: 'CORRUPT_STORE',
        message: `${file} is not a JSON list`,
        cause: error,
      });
    }
  }
  history.push(entry);
  await writeKeyFile(runFolder, 'tags', HISTORY_TAG, pythonJsonDumps(history));
}
