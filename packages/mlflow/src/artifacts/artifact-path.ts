import { posix } from 'node:path';
import { MlflowError } from '../errors.js';

/** Checks an artifact path: relative, `/`-separated, no `.`/`..` segments. */
export function checkArtifactPath(path: string): string {
  const normalised = path
    .replaceAll('\\', '/')
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  if (
    normalised.startsWith('/') ||
    normalised.split('/').some((segment) => segment === '..' || segment === '.') ||
    normalised.includes('\0')
  ) {
    throw new MlflowError({
      code: 'INVALID_PARAMETER_VALUE',
      message: `artifact path "${path}" must be relative and stay inside the run's artifact folder`,
    });
  }
  return normalised;
}

/** `<artifactPath>/<name>` (or `name` alone), checked. */
export function joinArtifactPath(artifactPath: string | undefined, name: string): string {
  return checkArtifactPath(artifactPath ? posix.join(checkArtifactPath(artifactPath), name) : name);
}
