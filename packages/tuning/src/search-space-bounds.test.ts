import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { XSadd } from 'ml-xsadd';
import { describe, expect, it } from 'vitest';
import { gridCandidates, gridSize, randomCandidates } from './candidates.js';
import { TuningError } from './errors.js';
import { parseSearchSpace } from './search-space.js';

/** `n` distinct values an option accepts: 1..n. */
const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** A random-forest grid of `per ** 5` points, built from a few hundred values. */
const wideGrid = (per: number) => ({
  nEstimators: values(per),
  maxDepth: values(per),
  minSamplesLeaf: values(per),
  seed: values(per),
  maxBins: values(per).map((v) => v + 1),
});

function thrown(run: () => unknown): TuningError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TuningError);
    return error as TuningError;
  }
  throw new Error('expected a TuningError');
}

describe('a search space of unbounded size', () => {
  it('a grid of 10^10 candidates (a 2 KB file): parsed (random search draws from it), refused by grid search before it is built', () => {
    const space = parseSearchSpace({ model: 'rf', grid: wideGrid(100) });
    expect(gridSize(space.grid!)).toBe(1e10);
    const error = thrown(() => gridCandidates(space.grid!));
    expect(error.code).toBe('INVALID_SPACE');
    expect(error.path).toBe('grid');
    expect(error.message).toMatch(/10000000000 candidates; at most 10000/);
  });

  it('refuses trials beyond 10000 (as --trials does), not RangeError: Invalid array length', () => {
    const error = thrown(() =>
      parseSearchSpace({
        model: 'lr',
        distributions: { C: { type: 'loguniform', low: 0.01, high: 100 } },
        trials: 1e15,
      }),
    );
    expect(error.code).toBe('INVALID_SPACE');
    expect(error.path).toBe('space.trials');
    expect(() =>
      randomCandidates({ C: { type: 'loguniform', low: 0.01, high: 100 } }, 2 ** 32, 1),
    ).toThrow(TuningError);
  });

  it('gridCandidates counts a grid before it builds it: 100,000 points is INVALID_SPACE', () => {
    const error = thrown(() => gridCandidates(wideGrid(10)));
    expect(error.code).toBe('INVALID_SPACE');
    expect(error.path).toBe('grid');
  });

  it('random search over lists draws from a 10^10-point grid without building it (96 MB heap)', () => {
    const candidates = fileURLToPath(new URL('./candidates.ts', import.meta.url));
    const code = `
      const { randomCandidates } = await import(${JSON.stringify(candidates)});
      const v = (n) => Array.from({ length: n }, (_, i) => i + 1);
      const grid = { a: v(100), b: v(100), c: v(100), d: v(100), e: v(100) };
      process.stdout.write(JSON.stringify(randomCandidates(grid, 3, 42)));`;
    const child = spawnSync(
      process.execPath,
      ['--max-old-space-size=96', '--import', 'tsx', '--input-type=module', '-e', code],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).not.toMatch(/heap out of memory/);
    expect(child.status).toBe(0);
    const drawn = JSON.parse(child.stdout) as Record<string, number>[];
    expect(drawn).toHaveLength(3);
    expect(new Set(drawn.map((c) => JSON.stringify(c))).size).toBe(3);
  });

  it('draws the same candidates from lists as the whole-grid shuffle did (same seed, same order)', () => {
    const grid = { maxDepth: [null, 3, 5, 8], minSamplesLeaf: [1, 2, 4], nEstimators: [10, 50] };
    // The earlier implementation: the whole grid, then a partial Fisher–Yates shuffle.
    const reference = (trials: number, seed: number) => {
      const all = gridCandidates(grid);
      const generator = new XSadd(seed);
      const count = Math.min(trials, all.length);
      for (let k = 0; k < count; k++) {
        const pick = k + Math.floor((generator.getUint32() / 4294967296) * (all.length - k));
        [all[k], all[pick]] = [all[pick]!, all[k]!];
      }
      return all.slice(0, count);
    };
    for (const seed of [1, 7, 42])
      for (const trials of [1, 5, 24, 30])
        expect(randomCandidates(grid, trials, seed)).toEqual(reference(trials, seed));
  });
});
