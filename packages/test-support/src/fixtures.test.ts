import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from './fixtures.js';
import { listFiles } from './list-files.js';

/** The workplace's read-only reference folder, a sibling of the repository (absent elsewhere). */
const SOURCE = resolve(import.meta.dirname, '../../../..', 'shared');
/** The folders copied from it, at the same relative paths. */
const COPIED = ['data', 'reference', 'mlflow/golden'];

describe('fixture copies', () => {
  it.each(COPIED)('%s holds files', async (folder) => {
    expect((await listFiles(join(FIXTURES_DIR, folder))).length).toBeGreaterThan(0);
  });

  it.skipIf(!existsSync(SOURCE)).each(COPIED)(
    '%s is byte for byte the shared folder (same files, same bytes)',
    async (folder) => {
      const ours = await listFiles(join(FIXTURES_DIR, folder));
      const theirs = await listFiles(join(SOURCE, folder));
      expect(ours).toEqual(theirs);
      const different: string[] = [];
      for (const file of theirs) {
        const [a, b] = await Promise.all([
          readFile(join(FIXTURES_DIR, folder, file)),
          readFile(join(SOURCE, folder, file)),
        ]);
        if (!a.equals(b)) different.push(file);
      }
      expect(different).toEqual([]);
    },
  );
});
