import { posix } from 'node:path';
import { MlflowError } from '../errors.js';

/** Checks an artifact path: relative, `/`-separated, no `.`/`..` segments. */
export function checkArtifactPath(path: string): string {
  if (typeof path !== 'string') {
    throw new MlflowError({
      code: 'INVALID_PARAMETER_VALUE',
      message: `artifact path must be a string, got ${path === null ? 'null' : typeof path}`,
    });
  }
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

/** Checks the path of one artifact file: {@link checkArtifactPath}, and not the root (`''`). */
export function checkArtifactFile(path: string): string {
  const checked = checkArtifactPath(path);
  if (checked === '') {
    throw new MlflowError({
      code: 'INVALID_PARAMETER_VALUE',
      message: 'artifact file must name a file, got an empty path',
    });
  }
  return checked;
}
