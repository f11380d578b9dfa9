import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every file below `root`, as sorted `/`-separated relative paths.
 *
 * @example
 * ```ts
 * expect(await listFiles(mlruns)).toContain('0/meta.yaml');
 * ```
 */
export async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else out.push(relative);
  }
  return out.sort();
}
