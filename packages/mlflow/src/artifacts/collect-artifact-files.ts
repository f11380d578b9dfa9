import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter } from '../errors.js';
import { checkArtifactPath, joinArtifactPath } from './artifact-path.js';

/**
 * Every file below `localDir` (recursively) as `[artifact path, local path]`, the artifact paths
 * under `artifactPath`. Listed before anything is copied, so a folder that contains the artifact
 * store stays finite.
 */
export async function collectArtifactFiles(
  localDir: string,
  artifactPath: string | undefined,
): Promise<[string, string][]> {
  const files: [string, string][] = [];
  const walk = async (dir: string, prefix: string | undefined): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
      throw invalidParameter(`logArtifacts: ${dir} is not a folder`);
    });
    for (const entry of entries) {
      const target = joinArtifactPath(prefix, entry.name);
      if (entry.isDirectory()) await walk(join(dir, entry.name), target);
      else if (entry.isFile()) files.push([target, join(dir, entry.name)]);
    }
  };
  await walk(localDir, artifactPath ? checkArtifactPath(artifactPath) : undefined);
  return files;
}
