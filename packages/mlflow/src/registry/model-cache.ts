import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { notFound } from '../errors.js';

/**
 * The download cache of `downloadModel`. An entry is `<cacheDir>/<key…>/` holding `model/` (the
 * files) and `manifest.json` (every file's path, size and sha256). It is built in
 * `<cacheDir>/.tmp-<hex>/`, the manifest written last, then renamed into place; an entry is used
 * only when its manifest is there, is ours, names the same artifact URI and every file has its
 * size — anything else (a crash halfway, a truncated file) is downloaded again.
 */

const MANIFEST = 'manifest.json';
const KIND = 'heart.model-cache';

interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

interface Manifest {
  kind: typeof KIND;
  formatVersion: 1;
  artifactUri: string;
  files: ManifestFile[];
}

/** `$XDG_CACHE_HOME/heart/models`, else `~/.cache/heart/models`. */
export function defaultModelCacheDir(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'heart', 'models');
}

/** The entry folder of a key (`['models', name, version]`), each part made a safe folder name. */
export function cacheEntry(cacheDir: string, key: readonly string[]): string {
  return join(cacheDir, ...key.map(folderName));
}

function folderName(part: string): string {
  const encoded = Array.from(part, (char) =>
    /^[A-Za-z0-9_-]$/.test(char)
      ? char
      : Array.from(
          Buffer.from(char, 'utf8'),
          (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
        ).join(''),
  ).join('');
  if (encoded === '') return '%';
  if (encoded.length <= 200) return encoded;
  return `${encoded.slice(0, 150)}~${createHash('sha256').update(part).digest('hex').slice(0, 16)}`;
}

/** The model folder of a complete entry for `artifactUri`, or `undefined`. */
export async function cachedModel(entry: string, artifactUri: string): Promise<string | undefined> {
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(await readFile(join(entry, MANIFEST), 'utf8')) as Partial<Manifest>;
  } catch {
    return undefined;
  }
  if (
    manifest.kind !== KIND ||
    manifest.formatVersion !== 1 ||
    manifest.artifactUri !== artifactUri ||
    !Array.isArray(manifest.files) ||
    manifest.files.length === 0
  )
    return undefined;
  const model = join(entry, 'model');
  for (const file of manifest.files) {
    if (typeof file?.path !== 'string' || file.path.split('/').some((part) => part === '..'))
      return undefined;
    const info = await stat(join(model, ...file.path.split('/'))).catch(() => undefined);
    if (!info?.isFile() || info.size !== file.size) return undefined;
  }
  return model;
}

/**
 * Fills a fresh temporary entry with `fill(modelFolder)`, writes its manifest, and renames it into
 * place (over an entry that is not complete). Returns the model folder and whether a complete
 * entry another caller installed meanwhile was used instead.
 */
export async function installCachedModel(
  cacheDir: string,
  entry: string,
  artifactUri: string,
  fill: (modelFolder: string) => Promise<void>,
): Promise<{ path: string; fromCache: boolean }> {
  const temp = join(cacheDir, `.tmp-${randomBytes(8).toString('hex')}`);
  await mkdir(join(temp, 'model'), { recursive: true });
  try {
    await fill(join(temp, 'model'));
    const files = await describeFiles(join(temp, 'model'));
    if (files.length === 0) throw notFound(`no model files at ${artifactUri}`);
    const manifest: Manifest = { kind: KIND, formatVersion: 1, artifactUri, files };
    await writeFile(join(temp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await mkdir(dirname(entry), { recursive: true });
    return await moveIntoPlace(cacheDir, temp, entry, artifactUri);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function moveIntoPlace(
  cacheDir: string,
  temp: string,
  entry: string,
  artifactUri: string,
): Promise<{ path: string; fromCache: boolean }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await rename(temp, entry);
      return { path: join(entry, 'model'), fromCache: false };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') throw error;
    }
    // Someone finished the same download meanwhile: use theirs.
    const theirs = await cachedModel(entry, artifactUri);
    if (theirs) return { path: theirs, fromCache: true };
    // An incomplete entry: move it aside (a reader of it sees it whole or not at all), retry.
    const aside = join(cacheDir, `.tmp-old-${randomBytes(8).toString('hex')}`);
    await rename(entry, aside).catch(() => undefined);
    await rm(aside, { recursive: true, force: true });
  }
  throw new Error(`could not install the model cache entry ${entry}`);
}

/** Every file below `folder` with its size and sha256, paths `/`-separated and sorted. */
async function describeFiles(folder: string, prefix = ''): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  const entries = await readdir(join(folder, prefix), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await describeFiles(folder, path)));
    else if (entry.isFile()) {
      const file = join(folder, ...path.split('/'));
      files.push({ path, size: (await stat(file)).size, sha256: await sha256(file) });
    }
  }
  return files;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
