import { join } from 'node:path';
import type { Exchange } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelBundle, OnnxBundle } from '../model-bundle.js';
import { loadBundleFromFolder } from '../model-store.js';
import { testApp } from '../test-support/inject.js';
import {
  expectClose,
  GOLDEN_ONNX,
  onnxExchanges,
  pyfuncCase,
} from '../test-support/onnx-fixtures.js';

/**
 * The six recorded ONNX model folders (SPEC §10), served as `mlflow models serve -m <folder>`
 * would serve them, and the 30 exchanges recorded from that server replayed against heart: the
 * same answers to 1e-6 where MLflow answered 200, MLflow's status and `error_code` where it
 * refused, and heart's own answer where heart differs on purpose (README, "ONNX models").
 */
const FOLDERS = [
  'linear-tensor-sig',
  'trees-column-sig',
  'linear-column-sig',
  'linear-flat-double-sig',
  'multi-input-1d-double-sig',
  'multi-input-2d-double-sig',
] as const;
type Folder = (typeof FOLDERS)[number];

const ROWS = [
  [0.5, -1.2, 0.3],
  [-0.7, 0.1, 1.5],
  [1.1, 0.4, -0.2],
];
const COLUMNS = ['x1', 'x2', 'x3'];

/** What MLflow's wrapper computes for ROWS, read from the recordings: P(1) per row, labels. */
const LINEAR = {
  labels: [0, 0, 1],
  p1: [0.3581623435020447, 0.019413292407989502, 0.9741182327270508],
};
const TREES = {
  labels: [1, 0, 1],
  pairs: [
    [0.3999999761581421, 0.6000000238418579],
    [0.8500000238418579, 0.15000000596046448],
    [0.20000004768371582, 0.7999999523162842],
  ],
};
const pairsOf = (p1: number[]) => p1.map((p) => [1 - p, p]);
const EXPECTED: Record<Folder, { labels: number[]; pairs: number[][] }> = {
  'linear-tensor-sig': { labels: LINEAR.labels, pairs: pairsOf(LINEAR.p1) },
  'trees-column-sig': TREES,
  'linear-column-sig': { labels: LINEAR.labels, pairs: pairsOf(LINEAR.p1) },
  'linear-flat-double-sig': { labels: LINEAR.labels, pairs: pairsOf(LINEAR.p1) },
  'multi-input-1d-double-sig': { labels: LINEAR.labels, pairs: pairsOf(LINEAR.p1) },
  'multi-input-2d-double-sig': { labels: LINEAR.labels, pairs: pairsOf(LINEAR.p1) },
};

/**
 * Where heart answers differently from `mlflow models serve`, on purpose (README): a bare `NaN`
 * (invalid JSON) is a 400; an `[N, 2]` output with a column signature is answered per row where
 * MLflow fails ("All arrays must be of the same length"); zero rows are heart's 400; `/version`
 * is heart's own.
 */
const DIFFERENT: Record<number, { status: number; error_code?: string; json?: unknown }> = {
  2: { status: 200 },
  13: { status: 400, error_code: 'BAD_REQUEST' },
  14: { status: 200, json: perRow(TREES) },
  15: { status: 200, json: perRow(TREES) },
  16: { status: 200, json: perRow(TREES) },
  18: { status: 200, json: perRow(TREES) },
  29: { status: 400, error_code: 'BAD_REQUEST' },
  30: { status: 400, error_code: 'BAD_REQUEST' },
};

function perRow({ labels, pairs }: { labels: number[]; pairs: number[][] }) {
  return { predictions: labels.map((label, i) => ({ label, probabilities: pairs[i] })) };
}

const bundles = new Map<Folder, ModelBundle>();
beforeAll(async () => {
  for (const folder of FOLDERS)
    bundles.set(folder, await loadBundleFromFolder(join(GOLDEN_ONNX, folder)));
});
afterAll(async () => {
  for (const bundle of bundles.values()) await (bundle as OnnxBundle).onnx.release();
});

const appFor = (folder: Folder) =>
  testApp({
    holder: { bundle: bundles.get(folder) },
    config: { bodyLimit: 1_048_576, batchLimit: 1000, threshold: undefined },
  });

/** The request body as the recording sent it, byte for byte. */
function payloadOf(exchange: Exchange): string | undefined {
  const body = exchange.request_body;
  if (body.kind === 'json' || body.kind === 'json-untyped') return JSON.stringify(body.json);
  if (body.kind === 'text') return body.text;
  return undefined;
}

describe('the recorded ONNX scoring exchanges (mlflow models serve, 30 records), replayed', () => {
  const exchanges = onnxExchanges();
  it('covers all 30', () => expect(exchanges).toHaveLength(30));

  it.each(exchanges.map((exchange) => [exchange.seq, exchange.note, exchange] as const))(
    'seq %i: %s',
    async (seq, _note, exchange) => {
      const folder = exchange.scenario.replace('scoring-onnx-', '') as Folder;
      const payload = payloadOf(exchange);
      const type = exchange.request_headers['Content-Type'];
      const answer = await appFor(folder).inject({
        method: exchange.method as 'GET' | 'POST',
        url: exchange.path,
        ...(type ? { headers: { 'content-type': type } } : {}),
        ...(payload === undefined ? {} : { payload }),
      });
      const differs = DIFFERENT[seq];
      const recorded = exchange.response_body;
      expect(answer.statusCode).toBe(differs?.status ?? exchange.status);
      if (exchange.path !== '/invocations') return;
      const json = answer.json();
      if (answer.statusCode !== 200) {
        expect(Object.keys(json).sort()).toEqual(['error_code', 'message']);
        const code = differs
          ? differs.error_code
          : (recorded as { json: { error_code: string } }).json.error_code;
        expect(json.error_code).toBe(code);
        return;
      }
      expectClose(json, differs?.json ?? (recorded as { json: unknown }).json, 1e-6);
    },
  );
});

describe.each(FOLDERS)('%s, served by heart', (folder) => {
  const tensor = folder === 'linear-tensor-sig';
  const record = (row: number[]) =>
    tensor ? { float_input: row } : Object.fromEntries(COLUMNS.map((name, i) => [name, row[i]]));
  const { labels, pairs } = EXPECTED[folder];

  it("answers /predict and /predict/batch with P(class 1) and the graph's label", async () => {
    const app = appFor(folder);
    for (const [i, row] of ROWS.entries()) {
      const one = (
        await app.inject({ method: 'POST', url: '/predict', payload: record(row) })
      ).json();
      expect(one.prediction).toBe(labels[i]);
      expect(one.probability).toBeCloseTo(pairs[i]![1]!, 6);
      expect(one.model.kind).toBe('onnx');
    }
    const batch = await app.inject({
      method: 'POST',
      url: '/predict/batch',
      payload: { rows: ROWS.map(record) },
    });
    expectClose(
      batch.json().results,
      labels.map((label, i) => ({ prediction: label, probability: pairs[i]![1] })),
      1e-6,
    );
  });

  it('answers OIP infer with label and probabilities [N, 2]', async () => {
    const app = appFor(folder);
    const inputs = tensor
      ? [{ name: 'x', shape: [3, 3], datatype: 'FP32', data: ROWS }]
      : COLUMNS.map((name, c) => ({
          name,
          shape: [3],
          datatype: 'FP64',
          data: ROWS.map((row) => row[c]),
        }));
    const answer = await app.inject({
      method: 'POST',
      url: '/v2/models/heart-disease/infer',
      payload: { id: 'g', inputs },
    });
    expect(answer.statusCode).toBe(200);
    expectClose(
      answer.json().outputs,
      [
        { name: 'label', shape: [3], datatype: 'INT64', data: labels },
        { name: 'probabilities', shape: [3, 2], datatype: 'FP64', data: pairs.flat() },
      ],
      1e-6,
    );
    const metadata = (await app.inject('/v2/models/heart-disease')).json();
    expect(metadata.platform).toBe('onnxruntime_onnx');
    expect(metadata.inputs).toEqual(
      tensor
        ? [{ name: 'float_input', datatype: 'FP32', shape: [-1, 3] }]
        : COLUMNS.map((name) => ({
            name,
            datatype: folder.includes('double') ? 'FP64' : 'FP32',
            shape: [-1],
          })),
    );
  });

  it("answers /invocations as MLflow would have, one record per row (an [N, 2] output as each row's pair)", async () => {
    const body = tensor ? { inputs: ROWS } : { dataframe_split: { columns: COLUMNS, data: ROWS } };
    const answer = (
      await appFor(folder).inject({ method: 'POST', url: '/invocations', payload: body })
    ).json();
    const flat = folder.includes('double');
    const expected = tensor
      ? { predictions: { label: labels, probabilities: pairs } }
      : flat
        ? { predictions: labels.map((label, i) => ({ label, probability_1: pairs[i]![1] })) }
        : perRow({ labels, pairs });
    expectClose(answer, expected, 1e-6);
  });

  it('describes itself on /model: kind onnx, its inputs, outputs and runtime', async () => {
    const card = (await appFor(folder).inject('/model')).json();
    expect(card).toMatchObject({
      kind: 'onnx',
      runtime: 'onnxruntime-node 1.30.0',
      threshold: null,
    });
    expect(card.input.map((field: { name: string }) => field.name)).toEqual(
      tensor ? ['float_input'] : COLUMNS,
    );
    expect(card.onnx.outputs.map((output: { name: string }) => output.name)).toEqual([
      'label',
      flatOutput(folder) ? 'probability_1' : 'probabilities',
    ]);
    expect(card.onnx.fed).toMatch(
      folder.startsWith('multi') ? /one float32 input per column/ : /one \[N, 3\] float32 input/,
    );
  });
});

const flatOutput = (folder: Folder) => folder.includes('double');

describe("what MLflow's onnx pyfunc computes for the multi-input graphs (pyfunc-predict.json)", () => {
  it('multi-input-1d: the same labels and P(1) as the wrapper; multi-input-2d, where the wrapper fails on rank, the same numbers', async () => {
    const recorded = pyfuncCase('multi-input-1d-double-sig', 'DataFrame float64 x1..x3').result as {
      values: { label: number[]; probability_1: number[] };
    };
    const failed = pyfuncCase('multi-input-2d-double-sig', 'DataFrame float64 x1..x3');
    expect(String(failed.error)).toMatch(/Invalid rank for input/);
    for (const folder of ['multi-input-1d-double-sig', 'multi-input-2d-double-sig'] as const) {
      const answer = await appFor(folder).inject({
        method: 'POST',
        url: '/invocations',
        payload: {
          dataframe_records: ROWS.map((row) =>
            Object.fromEntries(COLUMNS.map((c, i) => [c, row[i]])),
          ),
        },
      });
      expectClose(
        answer.json().predictions,
        recorded.values.label.map((label, i) => ({
          label,
          probability_1: recorded.values.probability_1[i],
        })),
        1e-6,
      );
    }
  });
});
