import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UCI_DIR } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadDataset } from './download-dataset.js';
import { DataError } from './errors.js';
import { cachePaths } from './internal/download-cache.js';

/** A real full disk: a 32 KiB tmpfs (needs root and mount; skipped elsewhere). */
let disk: string;
let canMount = false;
beforeEach(async () => {
  disk = await mkdtemp(join(tmpdir(), 'heart-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32k', 'tmpfs', disk], { stdio: 'ignore' });
    canMount = true;
  } catch {
    canMount = false;
  }
});
afterEach(async () => {
  if (canMount) execFileSync('umount', [disk]);
  await rm(disk, { recursive: true, force: true });
});

describe('the data cache on a disk that fills between its files', () => {
  it('never serves the CSV of one download beside the bytes of another', async (context) => {
    if (!canMount) context.skip();
    const source = await mkdtemp(join(tmpdir(), 'heart-source-'));
    try {
      const full = await readFile(join(UCI_DIR, 'processed.cleveland.data'), 'utf8');
      const file = join(source, 'processed.cleveland.data');
      const cacheDir = join(disk, 'raw');
      await mkdir(cacheDir);
      const options = { source, cacheDir, verifyChecksum: false, env: {} };
      // First: a 10-row file, cached whole.
      await writeFile(file, full.split('\n').slice(0, 10).join('\n'));
      await downloadDataset(options);
      // Then the full file: its bytes fit, its CSV does not (ENOSPC).
      await writeFile(file, full);
      const error = await downloadDataset({ ...options, force: true }).catch((caught) => caught);
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).code).toBe('WRITE_FAILED');
      // The next call answers from the cache: its CSV must hold the rows it reports.
      const again = await downloadDataset(options).catch((caught) => caught);
      if (again instanceof Error) return; // refusing, or fetching again, is fine
      const [answer] = again.files;
      const csvRows = (await readFile(answer!.csvPath, 'utf8')).trim().split('\n').length - 1;
      expect(csvRows).toBe(answer!.rows);
    } finally {
      await rm(source, { recursive: true, force: true });
    }
  });
});

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
