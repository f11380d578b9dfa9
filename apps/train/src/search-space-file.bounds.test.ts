import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrainOptions, type TrainOptions, UsageError } from './options.js';
import { readSearchSpaces } from './search-space-file.js';

let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('heart-train-space-bounds-');
});
afterAll(async () => {
  await work.cleanup();
});

const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('--search-space of unbounded size', () => {
  it('a 2 KB file naming a grid of 10^10 candidates is a UsageError naming the file and space.grid', async () => {
    const file = join(work.path, 'huge-grid.json');
    await writeFile(
      file,
      JSON.stringify({
        model: 'rf',
        grid: {
          nEstimators: values(100),
          maxDepth: values(100),
          minSamplesLeaf: values(100),
          seed: values(100),
          maxBins: values(100).map((v) => v + 1),
        },
      }),
    );
    const options = parseTrainOptions(
      ['--models', 'rf', '--search', 'grid', '--search-space', file],
      {},
      work.path,
    ) as TrainOptions;
    const error = await readSearchSpaces(options).then(
      () => new Error('read a grid of 10^10 candidates'),
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /huge-grid\.json: space\.grid: 10000000000 candidates; at most 10000/,
    );
  });
});
