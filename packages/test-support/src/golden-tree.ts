import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MLFLOW_GOLDEN_DIR } from './fixtures.js';
import { listFiles } from './list-files.js';

/**
 * Copies a golden `mlruns` tree written by MLflow 2.17.2 to `target`, recreating the empty folders
 * the copy dropped and pointing the placeholder roots (`file:///tmp/…/mlruns`) at `target`, as if
 * it had been written there (SPEC §7).
 *
 * @example
 * ```ts
 * await copyGoldenTree('filestore-python-client', join(dir.path, 'mlruns'));
 * ```
 */
export async function copyGoldenTree(
  name: 'filestore-handwritten' | 'filestore-python-client',
  target: string,
): Promise<void> {
  await cp(join(MLFLOW_GOLDEN_DIR, name), target, { recursive: true });
  await mkdir(join(target, '.trash'), { recursive: true });
  for (const experiment of await readdir(target, { withFileTypes: true })) {
    if (
      !experiment.isDirectory() ||
      experiment.name.startsWith('.') ||
      experiment.name === 'models'
    )
      continue;
    for (const run of await readdir(join(target, experiment.name), { withFileTypes: true })) {
      if (!run.isDirectory() || run.name === 'tags') continue;
      for (const sub of ['metrics', 'params', 'tags', 'artifacts']) {
        await mkdir(join(target, experiment.name, run.name, sub), { recursive: true });
      }
    }
  }
  for (const file of (await listFiles(target)).filter((path) => path.endsWith('meta.yaml'))) {
    const text = await readFile(join(target, file), 'utf8');
    await writeFile(
      join(target, file),
      text.replace(/file:\/\/\/\S*?\/mlruns/g, pathToFileURL(target).href),
    );
  }
}
