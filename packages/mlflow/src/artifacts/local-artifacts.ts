import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@heart/internal';
import { MlflowError } from '../errors.js';
import type { FileInfo } from '../types.js';
import { checkArtifactPath } from './artifact-path.js';

/** The local folder behind an artifact URI (`file://…` or an absolute path), or `undefined`. */
export function localArtifactRoot(artifactUri: string): string | undefined {
  if (artifactUri.startsWith('file:')) return fileURLToPath(artifactUri);
  if (isAbsolute(artifactUri) && !/^[a-z][a-z0-9+.-]*:/i.test(artifactUri)) return artifactUri;
  return undefined;
}

/** Copies a file or writes bytes to `<root>/<artifactPath>` through a temporary file and a rename. */
export async function putLocalArtifact(
  root: string,
  artifactPath: string,
  source: { path: string } | { bytes: Uint8Array },
): Promise<void> {
  const target = join(root, ...checkArtifactPath(artifactPath).split('/'));
  if ('bytes' in source) {
    await writeFileAtomic(target, source.bytes);
    return;
  }
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await copyFile(source.path, temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Lists one level of `<root>/<path>`, sorted by name; a missing folder lists as empty. */
export async function listLocalArtifacts(root: string, path = ''): Promise<FileInfo[]> {
  const relative = path === '' ? '' : checkArtifactPath(path);
  const folder = relative === '' ? root : join(root, ...relative.split('/'));
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const files: FileInfo[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.tmp-')) continue;
    const child = relative === '' ? entry.name : posix.join(relative, entry.name);
    if (entry.isDirectory()) files.push({ path: child, isDir: true });
    else
      files.push({
        path: child,
        isDir: false,
        fileSize: (await stat(join(folder, entry.name))).size,
      });
  }
  return files;
}

/** Reads `<root>/<path>`. */
export async function readLocalArtifact(root: string, path: string): Promise<Uint8Array> {
  const file = join(root, ...checkArtifactPath(path).split('/'));
  try {
    return await readFile(file);
  } catch (error) {
    throw new MlflowError({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: `artifact ${path} not found under ${root}${sep}`,
      cause: error,
      status: 404,
    });
  }
}
