import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineError } from './errors.js';
import {
  loadPipelineDir,
  PIPELINE_FILES,
  pipelineFiles,
  readPipelineFiles,
} from './pipeline-files.js';
import { savePipelineDir } from './save-pipeline-dir.js';
import { fittedPipeline, heartInputSchema } from './test-support/heart.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heart-pipeline-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const refusal = async (promise: Promise<unknown>): Promise<PipelineError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PipelineError);
  return error as PipelineError;
};

describe('a pipeline as files', () => {
  it("writes models/ in the seed's three files, and reads them back to the same pipeline", async () => {
    const { pipeline, test } = await fittedPipeline('rf');
    pipeline.training = {
      runName: 'random-forest',
      mlflow: { trackingUri: 'file:///tmp/mlruns', runId: 'r1' },
    };
    await savePipelineDir(dir, pipeline);
    expect((await readdir(join(dir, 'current'))).sort()).toEqual([
      'best_model.json',
      'metadata.json',
      'preprocessor.json',
    ]);
    const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
    // The seed's fields stay at the top: kind, runName, mlflow.runId, featureNames, inputColumns.
    expect(metadata).toMatchObject({
      formatVersion: 2,
      kind: 'random-forest',
      runName: 'random-forest',
      mlflow: { runId: 'r1' },
      threshold: 0.5,
      classLabels: [0, 1],
    });
    expect(metadata.inputColumns).toHaveLength(13);
    const restored = await loadPipelineDir(dir);
    expect(Array.from(restored.predictProba(test))).toEqual(
      Array.from(pipeline.predictProba(test)),
    );
    expect(restored.metadata).toEqual(pipeline.metadata);
  });

  it('spells the file names in one place, per layout', async () => {
    const { pipeline } = await fittedPipeline('lr');
    expect(Object.keys(pipelineFiles(pipeline, 'mlflow-model')).sort()).toEqual(
      Object.values(PIPELINE_FILES['mlflow-model']).sort(),
    );
    const files = pipelineFiles(pipeline, 'mlflow-model');
    const restored = await readPipelineFiles(async (name) => files[name], 'mlflow-model', {
      where: 'runs:/r1/model',
    });
    expect(restored.metadata).toEqual(pipeline.metadata);
  });

  it("reads the seed's metadata.json (no input schema) only when given the legacy schema", async () => {
    const { pipeline, missing } = await fittedPipeline('lr');
    await savePipelineDir(dir, pipeline);
    await writeFile(
      join(dir, 'metadata.json'),
      JSON.stringify({ formatVersion: 1, kind: 'logistic-regression', mlflow: { runId: 'old' } }),
    );
    const error = await refusal(loadPipelineDir(dir));
    expect(error.message).toBe(
      `${dir}: saved by an older heart without an input schema; train again`,
    );
    const legacy = await loadPipelineDir(dir, { legacyInputSchema: heartInputSchema(missing) });
    expect(legacy.training.mlflow?.runId).toBe('old');
    // An MLflow model logged before metadata.json existed: the same rule.
    const files = pipelineFiles(pipeline, 'mlflow-model');
    delete files['metadata.json'];
    const fromRun = await readPipelineFiles(async (name) => files[name], 'mlflow-model', {
      where: 'runs:/old/model',
      legacyInputSchema: heartInputSchema(missing),
    });
    expect(fromRun.inputSchema).toEqual(heartInputSchema(missing));
  });

  it('names the file at fault: missing, too large, corrupt', async () => {
    const { pipeline } = await fittedPipeline('lr');
    await savePipelineDir(dir, pipeline);
    await rm(join(dir, 'current', 'preprocessor.json'));
    const missing = await refusal(loadPipelineDir(dir));
    expect([missing.code, missing.message]).toEqual([
      'FILE_NOT_FOUND',
      `${dir}/preprocessor.json is missing`,
    ]);
    await savePipelineDir(dir, pipeline);
    const tooLarge = await refusal(loadPipelineDir(dir, { maxBytes: 100 }));
    expect(tooLarge.code).toBe('TOO_LARGE');
    expect(tooLarge.message).toContain(`${dir}/best_model.json: `);
    await writeFile(join(dir, 'best_model.json'), '{"kind":');
    const corrupt = await refusal(loadPipelineDir(dir));
    expect(corrupt.message).toContain(`${dir}/best_model.json: not valid JSON`);
  });

  it('leaves the old files and no temporary file when a save fails', async () => {
    const { pipeline } = await fittedPipeline('lr');
    await savePipelineDir(dir, pipeline);
    const before = await readFile(join(dir, 'best_model.json'), 'utf8');
    const broken = Object.create(pipeline, {
      metadata: {
        get() {
          throw new Error('disk full');
        },
      },
    });
    await expect(savePipelineDir(dir, broken)).rejects.toThrow('disk full');
    expect(await readFile(join(dir, 'best_model.json'), 'utf8')).toBe(before);
    expect((await readdir(join(dir, 'releases'))).filter((name) => name.startsWith('.'))).toEqual(
      [],
    );
  });
});
