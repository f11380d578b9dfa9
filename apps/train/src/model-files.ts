import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes several files into `dir` as one step: every file goes to a temporary name first, and only
 * when all are written are they renamed into place. A failure leaves the old files untouched and
 * no temporary file behind.
 */
export async function writeFilesAtomically(
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const suffix = randomBytes(6).toString('hex');
  const staged: [string, string][] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const temp = join(dir, `.${name}.${suffix}.tmp`);
      staged.push([temp, join(dir, name)]);
      await writeFile(temp, content);
    }
  } catch (error) {
    await Promise.all(staged.map(([temp]) => rm(temp, { force: true })));
    throw error;
  }
  for (const [temp, target] of staged) await rename(temp, target);
}
