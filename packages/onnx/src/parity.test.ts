import { LogisticRegression, RandomForest } from '@heart/models';
import { type InputRecord, Pipeline } from '@heart/pipeline';
import {
  ColumnPipeline,
  createHeartPreprocessor,
  OneHotEncoder,
  SimpleImputer,
  StandardScaler,
} from '@heart/preprocessing';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { exportWithMlClassifier } from './test-support/alternative-heads.js';
import { fittedPipeline, generatedRecords } from './test-support/heart.js';
import { columnFeeds, predict, session, tensorFeeds } from './test-support/ort.js';

const largest = (heart: ArrayLike<number>, onnx: ArrayLike<number>) => {
  expect(onnx.length).toBe(heart.length);
  let max = 0;
  for (let i = 0; i < heart.length; i++) max = Math.max(max, Math.abs(heart[i]! - onnx[i]!));
  return max;
};

async function compare(pipeline: Pipeline, records: readonly InputRecord[], layout = 'columns') {
  const bytes = exportOnnx(pipeline, { inputs: layout as 'columns' | 'tensor' });
  const model = await session(bytes);
  const feeds =
    layout === 'tensor'
      ? tensorFeeds(pipeline.inputSchema, records)
      : columnFeeds(pipeline.inputSchema, records);
  const onnx = await predict(model, feeds);
  const heart = pipeline.predictProba(records);
  return {
    maxDelta: largest(heart, onnx.probability),
    labels: onnx.prediction,
    heartLabels: Array.from(pipeline.predict(records)),
  };
}

describe.each([
  ['logistic regression', 'lr'],
  ['random forest (100 trees)', 'rf'],
] as const)('the exported %s in onnxruntime-node agrees with pipeline.predictProba', (_, kind) => {
  it.each(['columns', 'tensor'])(
    'on the Cleveland test split and all 303 rows (inputs: %s)',
    async (layout) => {
      const { pipeline, test, rows } = await fittedPipeline(kind);
      for (const records of [test, rows]) {
        const result = await compare(pipeline, records, layout);
        expect(result.maxDelta).toBeLessThanOrEqual(1e-6);
        // float64 all through: the forest is exact, the linear model differs in summation order.
        expect(result.maxDelta).toBeLessThanOrEqual(1e-12);
        expect(result.labels).toEqual(result.heartLabels);
      }
    },
  );

  it('on 10,000 generated rows with ca and thal missing one time in four (seeded)', async () => {
    const { pipeline, rows } = await fittedPipeline(kind);
    const records = generatedRecords(pipeline.inputSchema, 10_000, { like: rows, seed: 11 });
    expect(
      records.filter((record) => (record as { ca: unknown }).ca === null).length,
    ).toBeGreaterThan(2000);
    const result = await compare(pipeline, records);
    expect(result.maxDelta).toBeLessThanOrEqual(1e-12);
    expect(result.labels).toEqual(result.heartLabels);
  });

  it('imputes every field inside the graph (10,000 rows, any field missing)', async () => {
    const { pipeline, rows } = await fittedPipeline(kind);
    const records = generatedRecords(pipeline.inputSchema, 10_000, {
      like: rows,
      seed: 12,
      missing: 'all',
    });
    // predictProba refuses nulls the schema does not allow; predictProbaRow imputes them.
    const heart = records.map((record) => pipeline.predictProbaRow(record));
    const onnx = await predict(
      await session(exportOnnx(pipeline, { inputs: 'tensor' })),
      tensorFeeds(pipeline.inputSchema, records),
    );
    expect(largest(heart, onnx.probability)).toBeLessThanOrEqual(1e-12);
    expect(onnx.prediction).toEqual(heart.map((p) => (p >= pipeline.threshold ? 1 : 0)));
  });

  it("is more exact than ai.onnx.ml's own classifier op (float32 inside)", async () => {
    const { pipeline, rows } = await fittedPipeline(kind);
    const records = generatedRecords(pipeline.inputSchema, 2000, { like: rows, seed: 13 });
    const heart = pipeline.predictProba(records);
    const alternative = await session(exportWithMlClassifier(pipeline));
    const ml = await alternative.run(columnFeeds(pipeline.inputSchema, records));
    const ours = await compare(pipeline, records);
    const theirs = largest(heart, ml.probability!.data as Float64Array);
    // Measured: LinearClassifier ~1e-7 (float32 coefficients), TreeEnsembleClassifier ~3e-8
    // (float32 score); ours 3e-16 and 0.
    expect(theirs).toBeGreaterThan(1e-9);
    expect(theirs).toBeLessThan(1e-6);
    expect(ours.maxDelta).toBeLessThan(theirs / 1000);
  });
});

describe('the one-hot encoder in the graph', () => {
  it('gives unknown categories all zeros and a NaN category its own column, as heart does', async () => {
    const preprocessor = new ColumnPipeline({
      groups: [
        { name: 'num', columns: ['x'], steps: [new StandardScaler({ withMean: false })] },
        {
          name: 'cat',
          columns: ['c', 'd'],
          steps: [new OneHotEncoder({ handleUnknown: 'ignore' })],
        },
        { name: 'imp', columns: ['d'], steps: [new SimpleImputer({ strategy: 'mean' })] },
      ],
    });
    const train = Array.from({ length: 40 }, (_, i) => ({
      x: i / 3,
      c: i % 3,
      d: i % 5 === 0 ? null : (i % 4) + 0.5,
    }));
    const pipeline = new Pipeline({
      preprocessor,
      classifier: new LogisticRegression(),
      inputSchema: [
        { name: 'x', kind: 'numeric', nullable: false },
        { name: 'c', kind: 'categorical', values: [0, 1, 2], nullable: false },
        { name: 'd', kind: 'numeric', nullable: true },
      ],
    }).fit(
      train,
      train.map((_, i) => (i % 2 === 0 ? 1 : 0)),
    );
    expect(preprocessor.featureNames).toContain('d=nan');
    const records = [
      { x: 1, c: 7, d: 1.5 },
      { x: 2, c: 1.5, d: null },
      { x: 3, c: 2, d: 9.25 },
      { x: 4, c: null, d: 2.5 },
    ];
    const heart = records.map((record) => pipeline.predictProbaRow(record));
    const onnx = await predict(
      await session(exportOnnx(pipeline)),
      columnFeeds(pipeline.inputSchema, records),
    );
    expect(largest(heart, onnx.probability)).toBeLessThanOrEqual(1e-12);
  });
});

describe('degenerate forests', () => {
  it('exports stumps and trees that are a single leaf', async () => {
    const { pipeline: reference, rows } = await fittedPipeline('rf');
    const fit = (forest: RandomForest, labels: number[]) =>
      new Pipeline({
        preprocessor: createHeartPreprocessor(),
        classifier: forest,
        inputSchema: reference.inputSchema,
      }).fit(rows, labels);
    const stumps = fit(
      new RandomForest({ nEstimators: 7, maxDepth: 1, seed: 3 }),
      rows.map((row) => row.target),
    );
    const leaves = fit(
      new RandomForest({ nEstimators: 3, minSamplesSplit: 1000, seed: 3 }),
      rows.map((row) => row.target),
    );
    for (const pipeline of [stumps, leaves]) {
      const result = await compare(pipeline, rows);
      expect(result.maxDelta).toBeLessThanOrEqual(1e-12);
      expect(result.labels).toEqual(result.heartLabels);
    }
    expect(leaves.classifier.toJSON()).toMatchObject({ trees: [{ feature: [-1] }, {}, {}] });
  });
});
