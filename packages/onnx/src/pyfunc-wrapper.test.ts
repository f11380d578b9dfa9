import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signatureInputs } from '@heart/pipeline';
import { MLFLOW_GOLDEN_DIR } from '@heart/test-support';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { fittedPipeline, generatedRecords } from './test-support/heart.js';
import { columns, session } from './test-support/ort.js';
import {
  type Frame,
  type PredictedFrame,
  pyfuncPredict,
  type SignatureColumn,
  wrapperPredict,
} from './test-support/pyfunc.js';

const ONNX = join(MLFLOW_GOLDEN_DIR, 'onnx');

interface RecordedCase {
  model: string;
  input: string;
  result?: { type: string } & Partial<PredictedFrame>;
  error?: string;
  wrapper_result?: { type: string } & Partial<PredictedFrame>;
  wrapper_error?: string;
}

const recorded = (
  JSON.parse(readFileSync(join(ONNX, 'pyfunc-predict.json'), 'utf8')) as { cases: RecordedCase[] }
).cases.filter(
  (entry) => entry.input.startsWith('DataFrame') && entry.model !== 'linear-tensor-sig',
);

/** The DataFrames probe_pyfunc.py built, by the name pyfunc-predict.json gives them. */
function recordedFrame(input: string): Frame {
  const rows = [
    [0.5, -1.2, 0.3],
    [-0.7, 0.1, 1.5],
    [1.1, 0.4, -0.2],
  ];
  const names = input.includes('a,b,c') ? ['a', 'b', 'c'] : ['x1', 'x2', 'x3'];
  const column = (j: number) =>
    input.includes('int64')
      ? BigInt64Array.from([1n, 0n, 2n].slice(j, j + 1))
      : input.includes('float32')
        ? Float32Array.from(rows, (row) => row[j]!)
        : Float64Array.from(rows, (row) => row[j]!);
  return Object.fromEntries(names.map((name, j) => [name, column(j)]));
}

function signatureOf(model: string): SignatureColumn[] {
  const mlmodel = readFileSync(join(ONNX, model, 'MLmodel'), 'utf8');
  const inputs = /^ {2}inputs: '([\s\S]*?)'\n {2}outputs/m
    .exec(mlmodel)![1]!
    .replace(/\n\s+/g, ' ');
  return JSON.parse(inputs);
}

/** The phrase of a recorded error that names its cause. */
const CAUSES = [
  'Model is missing inputs',
  'Can not safely convert',
  'All arrays must be of the same length',
  'Invalid rank for input',
  'Unexpected input data type',
  "KeyError: 'x1'",
];
const cause = (message: string) => CAUSES.find((phrase) => message.includes(phrase));

async function outcome(run: () => Promise<PredictedFrame>) {
  try {
    return { result: await run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function expectSame(
  ours: { result?: PredictedFrame; error?: string },
  result?: RecordedCase['result'],
  error?: string,
) {
  if (error !== undefined) {
    expect(cause(error), error).toBeDefined();
    expect(ours.error, `expected: ${error}`).toContain(cause(error));
    return;
  }
  expect(ours.error).toBeUndefined();
  expect(ours.result!.columns).toEqual(result!.columns);
  expect(ours.result!.dtypes).toEqual(result!.dtypes);
  for (const name of result!.columns!) {
    const expected = (result!.values as Record<string, number[]>)[name]!;
    ours.result!.values[name]!.forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i]!, 7);
    });
  }
}

describe("the emulation of MLflow's onnx pyfunc reproduces pyfunc-predict.json", () => {
  it.each(recorded.map((entry) => [entry.model, entry.input, entry] as const))(
    '%s, %s',
    async (model, input, entry) => {
      const graph = await session(readFileSync(join(ONNX, model, 'model.onnx')));
      const frame = recordedFrame(input);
      expectSame(
        await outcome(() => pyfuncPredict(graph, frame, signatureOf(model))),
        entry.result,
        entry.error,
      );
      const flat =
        entry.wrapper_result?.type === 'pandas.DataFrame' ? entry.wrapper_result : undefined;
      expectSame(
        await outcome(() => wrapperPredict(graph, frame)),
        flat,
        flat ? undefined : entry.wrapper_error,
      );
    },
  );
});

describe("heart's model.onnx through mlflow.pyfunc.load_model(…).predict(DataFrame)", () => {
  it.each([
    ['random forest', 'rf', 'columns'],
    ['random forest', 'rf', 'tensor'],
    ['logistic regression', 'lr', 'columns'],
    ['logistic regression', 'lr', 'tensor'],
  ] as const)(
    '%s (%s), inputs %s: one row each of prediction and probability, as heart',
    async (_, kind, inputs) => {
      const { pipeline, test, rows } = await fittedPipeline(kind);
      const records = [...test, ...generatedRecords(pipeline.inputSchema, 500, { like: rows })];
      // A frame as a client sends it: columns in another order, one extra, nulls as NaN (float64).
      const byName = columns(pipeline.inputSchema, records);
      const frame: Frame = { target: Float64Array.from(records, () => 1) };
      for (const name of Object.keys(byName).reverse()) frame[name] = byName[name]!;
      const signature = signatureInputs(pipeline.inputSchema);
      expect(signature.every((column) => column.type === 'double')).toBe(true);
      const graph = await session(exportOnnx(pipeline, { inputs }));
      const predicted = await pyfuncPredict(graph, frame, signature);
      expect(predicted.columns).toEqual(['prediction', 'probability']);
      expect(predicted.dtypes).toEqual({ prediction: 'int64', probability: 'float64' });
      const heart = pipeline.predictProba(records);
      expect(predicted.values.probability).toHaveLength(records.length);
      predicted.values.probability!.forEach((p, i) => {
        expect(Math.abs(p - heart[i]!)).toBeLessThanOrEqual(1e-12);
      });
      expect(predicted.values.prediction).toEqual(Array.from(pipeline.predict(records)));
    },
  );

  it('takes a float32 frame too (the double columns upcast it), as recorded', async () => {
    const { pipeline, test } = await fittedPipeline('rf');
    const byName = columns(pipeline.inputSchema, test);
    const frame = Object.fromEntries(
      Object.entries(byName).map(([name, values]) => [name, Float32Array.from(values)]),
    );
    // The same records as float32 values (NaN, the missing ones, back to null).
    const rounded = test.map((_, i) =>
      Object.fromEntries(
        Object.entries(frame).map(([name, values]) => {
          const value = values[i]!;
          return [name, Number.isNaN(value) ? null : value];
        }),
      ),
    );
    const predicted = await pyfuncPredict(
      await session(exportOnnx(pipeline)),
      frame,
      signatureInputs(pipeline.inputSchema),
    );
    expect(predicted.values.probability).toEqual(Array.from(pipeline.predictProba(rounded)));
  });
});
