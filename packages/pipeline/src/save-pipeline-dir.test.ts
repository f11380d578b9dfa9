import {
  cp,
  lutimes,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineError } from './errors.js';
import { loadPipelineDir } from './pipeline-files.js';
import { savePipelineDir } from './save-pipeline-dir.js';
import { fittedPipeline } from './test-support/heart.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heart-releases-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('models/ as one unit', () => {
  it("switches whole sets with one link, keeps the seed's paths as relative links, prunes old sets", async () => {
    const { pipeline: first } = await fittedPipeline('lr');
    const { pipeline: second } = await fittedPipeline('rf');
    const a = await savePipelineDir(dir, first);
    await writeFile(join(dir, 'README.md'), 'tracked\n');
    const b = await savePipelineDir(dir, second);
    expect(await readlink(join(dir, 'current'))).toBe(`releases/${b}`);
    for (const name of ['best_model.json', 'preprocessor.json', 'metadata.json'])
      expect(await readlink(join(dir, name))).toBe(`current/${name}`);
    expect((await readdir(join(dir, 'releases'))).sort()).toEqual([a, b].sort());
    expect((await loadPipelineDir(dir)).classifier.kind).toBe('random-forest');
    expect((await loadPipelineDir(dir)).training.trainingId).toBe(b);
    const c = await savePipelineDir(dir, first);
    expect((await readdir(join(dir, 'releases'))).sort()).toEqual([b, c].sort());
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('tracked\n');
    // Relative links: a copy of the folder works on its own.
    const copy = join(dir, '..', `${join(dir).split('/').pop()}-copy`);
    await cp(dir, copy, { recursive: true, verbatimSymlinks: true });
    try {
      expect((await loadPipelineDir(copy)).training.trainingId).toBe(c);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it("replaces a seed-era folder's plain files with links, whole", async () => {
    const { pipeline } = await fittedPipeline('lr');
    for (const name of ['best_model.json', 'preprocessor.json', 'metadata.json'])
      await writeFile(join(dir, name), '{}');
    await savePipelineDir(dir, pipeline);
    expect(await readlink(join(dir, 'best_model.json'))).toBe('current/best_model.json');
    expect((await loadPipelineDir(dir)).classifier.kind).toBe('logistic-regression');
  });

  it('refuses a mixed set: parts whose sha256 is not the one metadata.json recorded', async () => {
    const { pipeline: first } = await fittedPipeline('lr');
    const { pipeline: second } = await fittedPipeline('rf');
    const a = await savePipelineDir(dir, first);
    const b = await savePipelineDir(dir, second);
    // What a kill between renames of the seed's writer could leave: one file from another set.
    const mixed = join(dir, 'mixed');
    await mkdir(mixed);
    await cp(join(dir, 'releases', b, 'best_model.json'), join(mixed, 'best_model.json'));
    await cp(join(dir, 'releases', b, 'preprocessor.json'), join(mixed, 'preprocessor.json'));
    await cp(join(dir, 'releases', a, 'metadata.json'), join(mixed, 'metadata.json'));
    const error = await loadPipelineDir(mixed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as Error).message).toMatch(
      /mixed\/best_model\.json is not the file its metadata\.json was written with .*: the files come from different trainings/,
    );
  });

  it('reads a part name every object inherits as a name it does not know', async () => {
    const { pipeline } = await fittedPipeline('lr');
    await savePipelineDir(dir, pipeline);
    const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
    metadata.parts = { ...metadata.parts, constructor: 'ab', toString: 'cd', 'other.json': 'ef' };
    const odd = join(dir, 'odd');
    await mkdir(odd);
    await cp(join(dir, 'best_model.json'), join(odd, 'best_model.json'));
    await cp(join(dir, 'preprocessor.json'), join(odd, 'preprocessor.json'));
    await writeFile(join(odd, 'metadata.json'), JSON.stringify(metadata));
    expect((await loadPipelineDir(odd)).classifier.kind).toBe('logistic-regression');
  });

  /** What a save (killed, or still running) has on disk mid-way: its staging folder, link and temporary file. */
  const leaveSaveParts = async (id: string, content: string) => {
    const staging = join(dir, 'releases', `.staging-${id}`);
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, 'best_model.json'), content);
    const link = join(dir, `.link-${id.slice(-8)}`);
    await symlink(`releases/${id}`, link);
    const temp = join(dir, '.best_model.json.0123456789ab.tmp');
    await writeFile(temp, content);
    return { staging, link, temp };
  };

  it('cleans what a killed save left (a staging folder, a temporary link) once it is old, and never uses it', async () => {
    const { pipeline } = await fittedPipeline('lr');
    const left = await leaveSaveParts('dead-00000000', '{');
    // Eleven minutes old: a killed save's (the age rule is 10 minutes).
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(left.staging, old, old);
    await lutimes(left.link, old, old);
    await utimes(left.temp, old, old);
    await savePipelineDir(dir, pipeline);
    expect((await readdir(join(dir, 'releases'))).filter((name) => name.startsWith('.'))).toEqual(
      [],
    );
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it("leaves a concurrent save's fresh staging folder, temporary link and temporary file alone", async () => {
    const { pipeline } = await fittedPipeline('lr');
    const left = await leaveSaveParts('20261201T101500Z-aaaaaa-0badf00d', 'being written');
    await savePipelineDir(dir, pipeline);
    expect(await readFile(join(left.staging, 'best_model.json'), 'utf8')).toBe('being written');
    expect(await readlink(left.link)).toBe('releases/20261201T101500Z-aaaaaa-0badf00d');
    expect(await readFile(left.temp, 'utf8')).toBe('being written');
    expect((await loadPipelineDir(dir)).classifier.kind).toBe('logistic-regression');
  });
});

describe('a models/ folder that cannot be written', () => {
  it('is WRITE_FAILED naming the path and what to do, and changes nothing', async () => {
    const { pipeline } = await fittedPipeline('lr');
    await writeFile(join(dir, 'a-file'), 'in the way');
    const error = await savePipelineDir(join(dir, 'a-file', 'models'), pipeline).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({ code: 'WRITE_FAILED' });
    expect((error as Error).message).toMatch(
      /cannot write .*a-file.*: a part of the path is a file, not a folder \(ENOTDIR\); check the path; .* was left as it was/,
    );
    expect(await readdir(dir)).toEqual(['a-file']);
  });
});
