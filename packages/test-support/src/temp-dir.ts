import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temp folder, removed by the returned cleanup.
 *
 * @example
 * ```ts
 * const dir = await tempDir('heart-mlflow-');
 * try { … dir.path … } finally { await dir.cleanup(); }
 * ```
 */
export async function tempDir(
  prefix = 'heart-test-',
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}
