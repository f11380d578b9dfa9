import { COLUMN_SPECS, FEATURE_COLUMNS, type HeartRow, loadDataset } from '@heart/data';
import { LogisticRegression, RandomForest } from '@heart/models';
import { createHeartPreprocessor, trainTestSplit } from '@heart/preprocessing';
import { UCI_DIR } from '@heart/test-support';
import { expect } from 'vitest';
import { PipelineError } from '../errors.js';
import type { InputSchema } from '../input-schema.js';
import { Pipeline } from '../pipeline.js';

let cached: { rows: HeartRow[]; missing: Record<string, number> } | undefined;

/** All 303 Cleveland rows (fixture copy) and their missing counts. */
export async function cleveland() {
  if (!cached) {
    const { rows, summary } = await loadDataset(`${UCI_DIR}/processed.cleveland.data`);
    cached = { rows, missing: summary.missing };
  }
  return cached;
}

/** The heart input schema as the train app builds it: UCI domains, nullable where data is missing. */
export function heartInputSchema(missing: Record<string, number>): InputSchema {
  return FEATURE_COLUMNS.map((name) => {
    const spec = COLUMN_SPECS[name];
    return {
      name,
      kind: spec.kind,
      description: spec.description,
      ...(spec.values ? { values: spec.values } : {}),
      ...(spec.min === undefined ? {} : { min: spec.min, max: spec.max }),
      nullable: (missing[name] ?? 0) > 0,
    };
  });
}

/** scikit-learn's split of Cleveland (seed 42) and a pipeline of `kind` fitted on it. */
export async function fittedPipeline(kind: 'lr' | 'rf' = 'lr') {
  const { rows, missing } = await cleveland();
  const labels = rows.map((row) => row.target);
  const split = trainTestSplit({ labels, seed: 42, method: 'sklearn' });
  const train = split.trainIndex.map((i) => rows[i]!);
  const test = split.testIndex.map((i) => rows[i]!);
  const pipeline = new Pipeline({
    preprocessor: createHeartPreprocessor(),
    classifier:
      kind === 'lr' ? new LogisticRegression() : new RandomForest({ nEstimators: 30, seed: 7 }),
    inputSchema: heartInputSchema(missing),
  }).fit(
    train,
    train.map((row) => row.target),
  );
  return { pipeline, train, test, missing };
}

/** The PipelineError `run` throws (the test fails when it throws anything else, or nothing). */
export function thrown(run: () => unknown): PipelineError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError);
    return error as PipelineError;
  }
  throw new Error('expected a PipelineError');
}
