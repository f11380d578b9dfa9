import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UCI_DIR } from '@heart/test-support';
import { describe, expect, it } from 'vitest';
import { downloadDataset } from './download-dataset.js';
import { cachePaths } from './internal/download-cache.js';

// A full disk between the cache's files (its bytes written, then ENOSPC on the CSV) leaves the new
// bytes beside the previous download's CSV and record; that state is built here by hand (the full
// disk itself: download-limits.test.ts).
describe('the data cache after a write cut between its files', () => {
  it('rebuilds a CSV its record does not vouch for (the new bytes beside the old CSV and record)', async () => {
    const source = await mkdtemp(join(tmpdir(), 'heart-source-'));
    const cacheDir = await mkdtemp(join(tmpdir(), 'heart-cache-'));
    try {
      const full = await readFile(join(UCI_DIR, 'processed.cleveland.data'), 'utf8');
      const file = join(source, 'processed.cleveland.data');
      const options = { source, cacheDir, verifyChecksum: false, env: {} };
      await writeFile(file, full.split('\n').slice(0, 10).join('\n'));
      await downloadDataset(options);
      // What a second download cut after its first file leaves: its bytes, the first one's CSV
      // and record.
      await writeFile(cachePaths(cacheDir, 'cleveland').path, full);
      const { files } = await downloadDataset(options);
      const [answer] = files;
      expect(answer!.fromCache).toBe(true);
      expect(answer!.rows).toBe(303);
      const csvRows = (await readFile(answer!.csvPath, 'utf8')).trim().split('\n').length - 1;
      expect(csvRows).toBe(303);
    } finally {
      await rm(source, { recursive: true, force: true });
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
