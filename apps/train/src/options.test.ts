import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainOptions, UsageError } from './options.js';
import { findRepoRoot } from './repo-root.js';

describe('parseTrainOptions', () => {
  it('takes defaults, environment, then flags', () => {
    expect(parseTrainOptions([], {}, '/repo')).toEqual({
      root: '/repo',
      dataSource: undefined,
      sites: ['cleveland'],
      dataDir: 'data/raw',
      verifyChecksum: true,
    });
    const options = parseTrainOptions(
      ['--sites', 'va, Hungarian', '--no-verify-checksum'],
      { HEART_DATA_URL: 'http://mirror/', HEART_SITES: 'cleveland' },
      '/repo',
    );
    expect(options).toMatchObject({
      dataSource: 'http://mirror/',
      sites: ['va', 'hungarian'],
      verifyChecksum: false,
    });
  });

  it('fails fast on unknown flags and bad values', () => {
    expect(() => parseTrainOptions(['--bogus'], {}, '/repo')).toThrow(UsageError);
    expect(() => parseTrainOptions(['--sites', 'mars'], {}, '/repo')).toThrow(
      /unknown site "mars"/,
    );
    expect(() => parseTrainOptions(['extra'], {}, '/repo')).toThrow(UsageError);
  });

  it('answers --help', () => {
    expect(parseTrainOptions(['-h'], {}, '/repo')).toBe('help');
  });
});

describe('findRepoRoot', () => {
  it('finds the folder with pnpm-workspace.yaml above the app, or honours HEART_ROOT', async () => {
    const root = await mkdtemp(join(tmpdir(), 'heart-root-'));
    try {
      await writeFile(join(root, 'pnpm-workspace.yaml'), 'packages: []\n');
      await mkdir(join(root, 'apps', 'train'), { recursive: true });
      expect(findRepoRoot(join(root, 'apps', 'train'), {})).toBe(root);
      expect(findRepoRoot(join(root, 'apps', 'train'), { HEART_ROOT: '/elsewhere' })).toBe(
        '/elsewhere',
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
