import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { findNonBinaryLabel } from './binary-labels.js';
import { fsFailure } from './fs-failure.js';
import { HeartError, isHeartError } from './heart-error.js';
import { findRepoRoot } from './repo-root.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heart-internal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const target = join(dir, 'sub', 'a.json');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, new Uint8Array([104, 105]));
    expect(await readFile(target, 'utf8')).toBe('hi');
    expect(await readdir(join(dir, 'sub'))).toEqual(['a.json']);
  });

  it('on failure leaves the old file and no temporary file', async () => {
    const target = join(dir, 'a.json');
    await writeFile(target, 'old');
    // A folder cannot be renamed over by a file: the rename fails after the temp file is written.
    await expect(writeFileAtomic(dir, 'new', { tempDir: dir })).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['a.json']);
  });
});

describe('isHeartError', () => {
  class SomeError extends HeartError<'BAD'> {}
  it('recognises any heart error by its marker, and nothing else', () => {
    const error = new SomeError({ code: 'BAD', message: 'bad input', cause: 1 });
    expect(isHeartError(error)).toBe(true);
    expect(error.cause).toBe(1);
    expect(isHeartError(Object.assign(new Error('x'), { code: 'BAD' }))).toBe(false);
    expect(isHeartError(null)).toBe(false);
  });
});

describe('small checks', () => {
  it('findNonBinaryLabel names the first label that is not 0 or 1', () => {
    expect(findNonBinaryLabel([0, 1, 1])).toBeUndefined();
    expect(findNonBinaryLabel(new Uint8Array([0, 1, 2]))).toEqual({ index: 2, value: 2 });
    expect(findNonBinaryLabel([0, '1'])).toEqual({ index: 1, value: '1' });
  });

  it('findRepoRoot finds the workspace above, or takes the given root', () => {
    expect(findRepoRoot(import.meta.dirname)).toBe(join(import.meta.dirname, '../../..'));
    expect(findRepoRoot(dir)).toBe(dir);
    expect(findRepoRoot(dir, 'x')).toBe(join(dir, 'x'));
  });
});

describe('fsFailure', () => {
  it('says what happened to which path and what to do, for the errors a user can act on', () => {
    const full = Object.assign(new Error('ENOSPC: write'), { code: 'ENOSPC' });
    expect(fsFailure(full, 'data/raw/x', 'write')).toBe(
      'cannot write data/raw/x: no space left on the device (ENOSPC); free some space or use another folder',
    );
    expect(fsFailure(Object.assign(new Error(), { code: 'EROFS' }), '/ro', 'write')).toContain(
      'read-only',
    );
    expect(fsFailure(new Error('boom'), '/x', 'write')).toBeUndefined();
  });
});
