import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@heart/internal';

/**
 * Every file below a `metrics/`, `params/` or `tags/` folder as `[key, path]`, sorted; nested
 * folders join into the key with `/` (MLflow's rule for keys such as `custom/slash`).
 */
export async function listKeyFiles(folder: string, prefix = ''): Promise<[string, string][]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const out: [string, string][] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const key = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listKeyFiles(join(folder, entry.name), key)));
    else out.push([key, join(folder, entry.name)]);
  }
  return out;
}

/** Every key file below `folder` as `[key, content]`. */
export async function readKeyFiles(folder: string): Promise<[string, string][]> {
  return Promise.all(
    (await listKeyFiles(folder)).map(
      async ([key, path]): Promise<[string, string]> => [key, await readFile(path, 'utf8')],
    ),
  );
}

/** Writes `<folder>/<kind>/<key>` atomically, the temporary file in `folder` itself. */
export async function writeKeyFile(
  folder: string,
  kind: 'params' | 'tags' | 'aliases',
  key: string,
  value: string,
): Promise<void> {
  await writeFileAtomic(join(folder, kind, ...key.split('/')), value, { tempDir: folder });
}
