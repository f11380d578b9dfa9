import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Writes `data` to a temporary file in `tempDir` (same file system; by default the target's own
 * folder) and renames it over `target`: readers see the old file or the new one, never a part.
 * The file store keeps temporary files in the run or experiment folder root, where MLflow's
 * reader ignores them, never in `metrics/`, `params/` or `tags/`.
 */
export async function writeAtomic(
  target: string,
  data: string | Uint8Array,
  tempDir = dirname(target),
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = join(tempDir, `.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(temp, data);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
