import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineError } from './errors.js';
import { savePipelineDir } from './save-pipeline-dir.js';
import { fittedPipeline } from './test-support/heart.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heart-releases-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a save that fails at the top-level links', () => {
  it("keeps the seed-era files and the old `current` when one of the seed's names is a folder", async () => {
    const { pipeline } = await fittedPipeline('lr');
    // A seed-era models/ folder, but metadata.json is a folder: the last link cannot replace it.
    await writeFile(join(dir, 'best_model.json'), 'old model');
    await writeFile(join(dir, 'preprocessor.json'), 'old preprocessor');
    await mkdir(join(dir, 'metadata.json'));
    const error = await savePipelineDir(dir, pipeline).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as Error).message).toMatch(/was left as it was/);
    // "left as it was": the user's files are still there; no `current` link, no release.
    expect(await readFile(join(dir, 'best_model.json'), 'utf8')).toBe('old model');
    expect(await readFile(join(dir, 'preprocessor.json'), 'utf8')).toBe('old preprocessor');
    const left = (await readdir(dir)).filter((name) => name !== 'releases');
    expect(left.sort()).toEqual(['best_model.json', 'metadata.json', 'preprocessor.json']);
    expect(await readdir(join(dir, 'releases')).catch(() => [])).toEqual([]);
  });

  it('keeps the previous save current when a later one fails at its links', async () => {
    const { pipeline: first } = await fittedPipeline('lr');
    const { pipeline: second } = await fittedPipeline('rf');
    const a = await savePipelineDir(dir, first);
    // The `current` link is swapped first; then a link that cannot be made fails the save.
    await rm(join(dir, 'metadata.json'));
    await mkdir(join(dir, 'metadata.json'));
    await expect(savePipelineDir(dir, second)).rejects.toThrow(/was left as it was/);
    expect(await readlink(join(dir, 'current'))).toBe(`releases/${a}`);
  });
});
