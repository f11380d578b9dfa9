import { join } from 'node:path';
import { FEATURE_COLUMNS } from '@heart/data';
import { signatureInputs } from '@heart/pipeline';
import { tempDir } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelBundle, OnnxBundle, PipelineBundle } from '../model-bundle.js';
import { loadBundleFromFolder, loadBundleFromMlflow } from '../model-store.js';
import type { Patient } from '../score-patient.js';
import { clevelandRows, patientOf, writeModelDir } from '../test-support/fixtures.js';
import { testApp } from '../test-support/inject.js';
import { logHeartModel, logOnnxModel } from '../test-support/onnx-fixtures.js';
import { type SklearnStyle, sklearnStyleOnnx } from '../test-support/sklearn-onnx.js';

/**
 * Graphs over heart's 13 UCI columns as a scikit-learn user would bring them — built from heart's
 * pipeline with @heart/onnx, then given skl2onnx's inputs and outputs (float32 inputs, `label`,
 * `probabilities` [N, 2] or `probability_1`) and logged with `mlflow.onnx`'s flavors — and heart's
 * own logged model served with MODEL_RUNTIME=onnx: every route answers heart's probabilities
 * (float32 graphs to 1e-5; heart's float64 graph to 1e-12, with the same labels).
 */
let work: Awaited<ReturnType<typeof tempDir>>;
let forest: Awaited<ReturnType<typeof writeModelDir>>;
let linear: Awaited<ReturnType<typeof writeModelDir>>;
let patients: Patient[];
const NAMES = FEATURE_COLUMNS;
const loaded: ModelBundle[] = [];

beforeAll(async () => {
  work = await tempDir('heart-api-onnx-');
  forest = await writeModelDir('random-forest');
  linear = await writeModelDir('logistic-regression');
  patients = (await clevelandRows()).map(patientOf);
});
afterAll(async () => {
  for (const bundle of loaded) if (bundle.runtime === 'onnx') await bundle.onnx.release();
  await forest.cleanup();
  await linear.cleanup();
  await work.cleanup();
});

const store = () => join(work.path, 'mlruns');
const appOf = (bundle: ModelBundle) =>
  testApp({
    holder: { bundle },
    config: { bodyLimit: 8 * 1_048_576, batchLimit: 1000, threshold: undefined },
  });
const post = (app: ReturnType<typeof testApp>, url: string, payload: unknown) =>
  app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });

/** OIP infer: one [N, 13] FP32 tensor (heart's column order), or one input per column; P(class 1) = probabilities[:, 1]. */
async function oip(app: ReturnType<typeof testApp>, rows: readonly Patient[], tensorName?: string) {
  const inputs = tensorName
    ? [
        {
          name: tensorName,
          shape: [rows.length, 13],
          datatype: 'FP32',
          data: rows.map((row) => row[tensorName]),
        },
      ]
    : [
        {
          name: 'input-0',
          shape: [rows.length, 13],
          datatype: 'FP32',
          data: rows.flatMap((row) => NAMES.map((name) => row[name])),
        },
      ];
  const answer = await post(app, '/v2/models/heart-disease/infer', { inputs });
  expect(answer.statusCode, answer.body).toBe(200);
  const [label, probabilities] = answer.json().outputs;
  expect(label.shape).toEqual([rows.length]);
  const pairs = probabilities.data as number[];
  pairs.forEach((p, i) => {
    expect(p).toBeCloseTo(1 - pairs[i % 2 === 0 ? i + 1 : i - 1]!, 6);
  });
  return pairs.filter((_, i) => i % 2 === 1);
}

/**
 * Every route's P(class 1) for `rows` — /predict (the first 25, one at a time), /predict/batch,
 * /invocations, OIP infer — within `tolerance` of `expected`. Returns the /invocations records.
 */
async function checkRoutes(
  bundle: ModelBundle,
  rows: readonly Patient[],
  expected: (row: Patient) => number,
  tolerance: number,
) {
  const app = appOf(bundle);
  const want = rows.map(expected);
  const near = (got: readonly number[], what: string) => {
    expect(got.length, what).toBeGreaterThan(0);
    got.forEach((p, i) => {
      expect(Math.abs(p - want[i]!), `${what}, row ${i}`).toBeLessThanOrEqual(tolerance);
    });
  };
  const one: number[] = [];
  for (const row of rows.slice(0, 25)) {
    const answer = await post(app, '/predict', row);
    expect(answer.statusCode, answer.body).toBe(200);
    one.push(answer.json().probability);
  }
  near(one, '/predict');
  const batch = await post(app, '/predict/batch', { rows });
  expect(batch.statusCode, batch.body).toBe(200);
  near(
    batch.json().results.map((result: { probability: number }) => result.probability),
    '/predict/batch',
  );
  const tensor = bundle.validators.tensor;
  const invocation = await post(
    app,
    '/invocations',
    tensor
      ? { inputs: rows.map((row) => row[tensor.name]) }
      : {
          dataframe_split: {
            columns: NAMES,
            data: rows.map((row) => NAMES.map((name) => row[name])),
          },
        },
  );
  expect(invocation.statusCode, invocation.body).toBe(200);
  near(await oip(app, rows, tensor?.name), 'OIP infer');
  return { near, predictions: invocation.json().predictions };
}

async function logSklearn(style: SklearnStyle, signature: 'columns' | 'tensor') {
  const onnx = sklearnStyleOnnx(forest.pipeline, style);
  const logged = await logOnnxModel(store(), {
    onnx,
    signature: {
      inputs:
        signature === 'tensor'
          ? [
              {
                name: 'float_input',
                type: 'tensor',
                'tensor-spec': { dtype: 'float32', shape: [-1, 13] },
              },
            ]
          : signatureInputs(forest.pipeline.inputSchema).map((input) => ({
              ...input,
              name: style.inputName?.(input.name) ?? input.name,
            })),
      outputs: [{ name: 'label', type: 'long' }],
    },
  });
  const bundle = await loadBundleFromFolder(logged.folder);
  loaded.push(bundle);
  expect(bundle.runtime).toBe('onnx');
  return bundle as OnnxBundle;
}

const byForest = (row: Patient) => forest.pipeline.predictProbaRow(row);

describe('a skl2onnx-style graph over the 13 UCI columns (logged with mlflow.onnx, served by folder)', () => {
  it("tensor float32 [N, 13] + label + probabilities [N, 2], double column signature: heart's probabilities on every route (1e-5)", async () => {
    const bundle = await logSklearn({ inputs: 'tensor', outputs: 'probabilities' }, 'columns');
    expect(bundle.kind).toBe('onnx');
    expect(bundle.onnx.feed).toMatchObject({
      kind: 'matrix',
      input: 'float_input',
      type: 'float32',
      width: 13,
    });
    const { near, predictions } = await checkRoutes(bundle, patients, byForest, 1e-5);
    // One record per row, the [N, 2] output as the row's pair (where MLflow answers 400).
    expect(Object.keys(predictions[0])).toEqual(['label', 'probabilities']);
    near(
      predictions.map((item: { probabilities: number[] }) => item.probabilities[1]),
      '/invocations',
    );
  });

  it("one [N, 1] float input per column + label + probability_1: heart's probabilities on every route (1e-5)", async () => {
    const bundle = await logSklearn({ inputs: 'columns', outputs: 'probability_1' }, 'columns');
    expect(bundle.onnx.feed.kind).toBe('columns');
    const { near, predictions } = await checkRoutes(bundle, patients, byForest, 1e-5);
    expect(Object.keys(predictions[0])).toEqual(['label', 'probability_1']);
    near(
      predictions.map((item: { probability_1: number }) => item.probability_1),
      '/invocations',
    );
  });

  it('a graph input named __proto__ (a name every object inherits) is fed like any other', async () => {
    const inputName = (name: string) => (name === 'age' ? '__proto__' : name);
    const style: SklearnStyle = { inputs: 'columns', outputs: 'probability_1', inputName };
    const bundle = await logSklearn(style, 'columns');
    expect(bundle.onnx.feed).toMatchObject({ kind: 'columns' });
    const rows = patients.slice(0, 5);
    const answer = await post(appOf(bundle), '/invocations', {
      dataframe_split: {
        columns: NAMES.map(inputName),
        data: rows.map((row) => NAMES.map((name) => row[name])),
      },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const got = answer
      .json()
      .predictions.map((item: { probability_1: number }) => item.probability_1);
    expect(got).toHaveLength(rows.length);
    got.forEach((p: number, i: number) => {
      expect(Math.abs(p - byForest(rows[i]!)), `row ${i}`).toBeLessThanOrEqual(1e-5);
    });
  });

  it('a tensor signature (float32 [-1, 13]): a row is { float_input: [13 values] } on every route', async () => {
    const bundle = await logSklearn({ inputs: 'tensor', outputs: 'probabilities' }, 'tensor');
    expect(bundle.validators.tensor).toEqual({ name: 'float_input', width: 13 });
    // A tensor has no missing values: the rows without any.
    const complete = patients.filter((row) => row.ca !== null && row.thal !== null);
    const rows = complete.map((row) => ({ float_input: NAMES.map((name) => row[name] as number) }));
    const truth = (row: Patient) =>
      forest.pipeline.predictProbaRow(
        Object.fromEntries(NAMES.map((name, i) => [name, (row.float_input as number[])[i]!])),
      );
    const { near, predictions } = await checkRoutes(bundle, rows, truth, 1e-5);
    near(
      (predictions.probabilities as number[][]).map((pair) => pair[1]!),
      '/invocations',
    );
    const withNull = [...(rows[0]!.float_input as number[]).slice(0, 12), null];
    const missing = await post(appOf(bundle), '/predict', { float_input: withNull });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details).toEqual([
      { field: 'float_input/12', message: 'must be a number' },
    ]);
  });
});

describe("heart's own logged model (heart + onnx flavors), served from runs:/ with MODEL_RUNTIME=onnx", () => {
  it.each(['random-forest', 'logistic-regression'] as const)(
    '%s: the JS predictor by default, onnxruntime when asked — the same labels and probabilities (1e-12)',
    async (kind) => {
      const { pipeline } = kind === 'random-forest' ? forest : linear;
      const logged = await logHeartModel(store(), pipeline);
      const options = {
        root: work.path,
        cacheDir: join(work.path, 'cache'),
        env: { MLFLOW_TRACKING_URI: store() },
      };
      const js = (await loadBundleFromMlflow(logged.uri, options)) as PipelineBundle;
      expect(js.runtime).toBe('js');
      const onnx = await loadBundleFromMlflow(logged.uri, { ...options, runtime: 'onnx' });
      loaded.push(onnx);
      expect(onnx).toMatchObject({
        runtime: 'onnx',
        kind,
        version: js.version,
        runId: logged.runId,
      });
      const truth = (row: Patient) => pipeline.predictProbaRow(row);
      const { predictions } = await checkRoutes(onnx, patients, truth, 1e-12);
      // heart's two outputs answer /invocations exactly as the JS predictor does.
      const jsAnswer = await post(appOf(js), '/invocations', {
        dataframe_records: patients.slice(0, 40),
      });
      const onnxAnswer = await post(appOf(onnx), '/invocations', {
        dataframe_records: patients.slice(0, 40),
      });
      expect(
        onnxAnswer.json().predictions.map((item: { prediction: number }) => item.prediction),
      ).toEqual(jsAnswer.json().predictions.map((item: { prediction: number }) => item.prediction));
      expect(Object.keys(predictions[0])).toEqual(['prediction', 'probability']);
      const card = (await appOf(onnx).inject('/model')).json();
      expect(card).toMatchObject({ kind, runtime: 'onnxruntime-node 1.30.0', threshold: 0.5 });
      expect(card.input).toHaveLength(13);
      expect(card.onnx.fed).toMatch(/one float64 input per column/);
    },
  );
});
