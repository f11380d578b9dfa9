import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelSignature } from '@heart/mlflow';
import { pipelineFiles } from '@heart/pipeline';
import { tempDir } from '@heart/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../config.js';
import { createMetrics } from '../metrics.js';
import type { ModelBundle, OnnxBundle } from '../model-bundle.js';
import type { ModelHolder } from '../model-holder.js';
import { ModelLoadError } from '../model-load-error.js';
import { type LoadOptions, loadBundleFromFolder } from '../model-store.js';
import { createModelSupervisor } from '../model-supervisor.js';
import { writeModelDir } from '../test-support/fixtures.js';
import { testApp } from '../test-support/inject.js';
import { GOLDEN_ONNX, logOnnxModel } from '../test-support/onnx-fixtures.js';
import { ELEM, rewriteGraph, valueInfo } from '../test-support/onnx-wire.js';
import { readMlmodel } from './mlmodel.js';
import { parseMlmodelYaml } from './mlmodel-yaml.js';

/**
 * Models the API cannot serve are refused at load, naming the file and what is wrong — a graph
 * over MODEL_MAX_BYTES, one onnxruntime refuses, outputs without a probability, inputs the
 * signature cannot feed, a runtime the model has no flavor for — and a reload that meets one
 * leaves the previous model serving. A swap releases the replaced session once its runs end.
 */
let work: Awaited<ReturnType<typeof tempDir>>;
const graph = (name: string) => readFileSync(join(GOLDEN_ONNX, name, 'model.onnx'));
const COLUMNS: ModelSignature['inputs'] = ['x1', 'x2', 'x3'].map((name) => ({
  name,
  type: 'double' as const,
  required: true,
}));
const OUTPUTS: ModelSignature['outputs'] = [{ name: 'label', type: 'long' }];
const loaded: ModelBundle[] = [];

beforeAll(async () => {
  work = await tempDir('heart-api-onnx-load-');
});
afterAll(async () => {
  for (const bundle of loaded) if (bundle.runtime === 'onnx') await bundle.onnx.release();
  await work.cleanup();
});

const store = () => join(work.path, 'mlruns');
async function folderWith(onnx: Uint8Array, inputs: ModelSignature['inputs'] = COLUMNS) {
  return (await logOnnxModel(store(), { onnx, signature: { inputs, outputs: OUTPUTS } })).folder;
}
async function refusal(folder: string, options: LoadOptions = {}): Promise<ModelLoadError> {
  const error = await loadBundleFromFolder(folder, options).then(
    (bundle) => {
      loaded.push(bundle);
      throw new Error('loaded a model that should be refused');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ModelLoadError);
  return error as ModelLoadError;
}
async function load(folder: string): Promise<OnnxBundle> {
  const bundle = await loadBundleFromFolder(folder);
  loaded.push(bundle);
  return bundle as OnnxBundle;
}

describe('an ONNX model the API cannot serve', () => {
  it('a graph over MODEL_MAX_BYTES: refused before it is read, naming the file and the limit', async () => {
    const error = await refusal(join(GOLDEN_ONNX, 'linear-flat-double-sig'), { maxBytes: 500 });
    expect(error.file).toBe(join(GOLDEN_ONNX, 'linear-flat-double-sig', 'model.onnx'));
    expect(error.message).toMatch(/model\.onnx is 563 bytes, over MODEL_MAX_BYTES \(500\)/);
  });

  it('a graph onnxruntime refuses (not ONNX at all, or cut short)', async () => {
    const garbage = await folderWith(new TextEncoder().encode('this is a pickle, not a graph'));
    expect((await refusal(garbage)).message).toMatch(
      /onnxruntime refuses .*model\.onnx: .*protobuf parsing failed/,
    );
    const cut = await folderWith(graph('linear-flat-double-sig').subarray(0, 300));
    expect((await refusal(cut)).file).toBe(join(cut, 'model.onnx'));
  });

  it('outputs without a probability (only a label) or a ZipMap-free graph with none at all', async () => {
    const labelOnly = rewriteGraph(graph('linear-flat-double-sig'), {
      before: [],
      after: [],
      inputs: [valueInfo('float_input', ELEM.FLOAT, ['N', 3])],
      outputs: [valueInfo('label', ELEM.INT64, ['N'])],
    });
    const error = await refusal(await folderWith(labelOnly));
    expect(error.message).toMatch(
      /model\.onnx: none of the graph's outputs \(label int64 \[N\]\) is a probability heart can read/,
    );
  });

  it('inputs the signature cannot feed: other column names, another width, a tensor for column inputs', async () => {
    const other = ['a', 'b', 'c'].map((name) => ({
      name,
      type: 'double' as const,
      required: true,
    }));
    const renamed = await refusal(await folderWith(graph('multi-input-1d-double-sig'), other));
    expect(renamed.message).toMatch(
      /the graph's inputs \(x1 float32 \[N\], x2 float32 \[N\], x3 float32 \[N\]\) cannot be fed from the signature's columns \(a, b, c\)/,
    );
    const four = [...COLUMNS, { name: 'x4', type: 'double' as const, required: true }];
    const wide = await refusal(await folderWith(graph('linear-flat-double-sig'), four));
    expect(wide.message).toMatch(
      /input float_input float32 \[N, 3\] takes 3 values a row, the signature gives 4/,
    );
    const tensor = [
      { name: 't', type: 'tensor' as const, 'tensor-spec': { dtype: 'float32', shape: [-1, 3] } },
    ];
    const columnsGraph = await refusal(
      await folderWith(graph('multi-input-1d-double-sig'), tensor),
    );
    expect(columnsGraph.message).toMatch(
      /the tensor signature \(3 values a row\) needs a graph with one \[N, 3\] input/,
    );
    const strings = [{ name: 'x1', type: 'string' as const }];
    const text = await refusal(await folderWith(graph('linear-flat-double-sig'), strings));
    expect(text.file).toMatch(/MLmodel$/);
    expect(text.message).toMatch(
      /column "x1" has type "string"; heart serves numeric columns of type double or float/,
    );
  });

  it('a runtime the model has no flavor for', async () => {
    const foreign = await folderWith(graph('linear-flat-double-sig'));
    expect((await refusal(foreign, { runtime: 'js' })).message).toMatch(/has no heart flavor/);
    const heartOnly = await writeModelDir('logistic-regression');
    try {
      const client = await logOnnxModel(store(), {
        onnx: new Uint8Array(),
        pipeline: heartOnly.pipeline,
      });
      // A heart model logged without the onnx flavor (MLmodel rewritten as older runs wrote it).
      const mlmodel = await readFile(join(client.folder, 'MLmodel'), 'utf8');
      await writeFile(
        join(client.folder, 'MLmodel'),
        mlmodel.replace(/\n {2}onnx:\n( {4}.*\n)+/, '\n'),
      );
      expect((await refusal(client.folder, { runtime: 'onnx' })).message).toMatch(
        /has no onnx flavor \(flavors: heart, python_function\)/,
      );
      expect(Object.keys(pipelineFiles(heartOnly.pipeline, 'mlflow-model'))).toContain(
        'model.json',
      );
    } finally {
      await heartOnly.cleanup();
    }
    expect(() => readConfig({ MODEL_RUNTIME: 'onnx' })).toThrow(ConfigError);
    expect(() => readConfig({ MODEL_RUNTIME: 'tensorflow', MODEL_URI: 'runs:/a/model' })).toThrow(
      /MODEL_RUNTIME must be js or onnx/,
    );
    expect(readConfig({ MODEL_RUNTIME: 'ONNX', MODEL_URI: 'runs:/a/model' }).runtime).toBe('onnx');
  });
});

describe('swaps of ONNX models', () => {
  const supervised = (load: () => Promise<ModelBundle>) => {
    const holder: ModelHolder = { bundle: undefined };
    const supervisor = createModelSupervisor({
      holder,
      source: { load },
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      pollMs: 0,
    });
    return { holder, supervisor };
  };

  it('a reload that meets a bad model keeps the previous one serving', async () => {
    const good = join(GOLDEN_ONNX, 'linear-flat-double-sig');
    const bad = await folderWith(new Uint8Array([8, 8, 8]));
    let folder = good;
    const { holder, supervisor } = supervised(() => load(folder));
    expect(await supervisor.reload('start')).toBeUndefined();
    const served = holder.bundle as OnnxBundle;
    folder = bad;
    const failure = await supervisor.reload('SIGHUP');
    expect(failure).toBeInstanceOf(ModelLoadError);
    expect(holder.bundle).toBe(served);
    expect(served.onnx.isReleased).toBe(false);
    const answer = await testApp({ holder }).inject({
      method: 'POST',
      url: '/predict',
      payload: { x1: 0.5, x2: -1.2, x3: 0.3 },
    });
    expect(answer.json().probability).toBeCloseTo(0.3581623435020447, 6);
  });

  it('a swap releases the replaced session, after the run still on it has its answer', async () => {
    const folders = [
      join(GOLDEN_ONNX, 'linear-flat-double-sig'),
      join(GOLDEN_ONNX, 'multi-input-1d-double-sig'),
    ];
    const { holder, supervisor } = supervised(() => load(folders.shift()!));
    await supervisor.reload('start');
    // The supervisor retires what it replaces: an idle session is released at the swap.
    const first = holder.bundle as OnnxBundle;
    expect(await supervisor.reload('SIGHUP')).toBeUndefined();
    expect(holder.bundle).not.toBe(first);
    expect(first.onnx.isReleased).toBe(true);
    await expect(first.onnx.run([{ x1: 0, x2: 0, x3: 0 }])).rejects.toThrow(/released/);
    // A run in flight (counted synchronously by run()) when a model is retired keeps its session
    // until it has its answer; then the session goes.
    const second = holder.bundle as OnnxBundle;
    const running = second.onnx.run([{ x1: 0.5, x2: -1.2, x3: 0.3 }]);
    second.onnx.retire();
    expect(second.onnx.isReleased).toBe(false);
    expect((await running).probabilities).toHaveLength(1);
    expect(second.onnx.isReleased).toBe(true);
  });
});

describe('MLmodel files', () => {
  it('reads what MLflow writes: folded single-quoted JSON, sequences under their key, nulls', () => {
    const text = readFileSync(join(GOLDEN_ONNX, 'linear-tensor-sig', 'MLmodel'), 'utf8');
    const mlmodel = parseMlmodelYaml(text) as Record<string, Record<string, unknown>>;
    expect(mlmodel.flavors!.onnx).toEqual({
      code: null,
      data: 'model.onnx',
      onnx_session_options: null,
      onnx_version: '1.12.0',
      providers: ['CUDAExecutionProvider', 'CPUExecutionProvider'],
    });
    expect(JSON.parse(mlmodel.signature!.inputs as string)).toEqual([
      { name: 'float_input', type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 3] } },
    ]);
    expect(mlmodel.model_size_bytes).toBe(754);
    expect(mlmodel.utc_time_created).toBe('2026-12-01 07:41:05.308660');
    expect(parseMlmodelYaml("a:\n- x: 1\n  y: 'it''s'\n- 2\nb: \"q\\n\"\n")).toEqual({
      a: [{ x: 1, y: "it's" }, 2],
      b: 'q\n',
    });
  });

  it('refuses what it does not read, naming the line', () => {
    expect(() => parseMlmodelYaml('a: &x 1\nb: *x\n')).toThrow(/Alias resolution is disabled/);
    expect(() => parseMlmodelYaml("a: 'open\nb: 1\n")).toThrow(/line 3: Missing closing 'quote/);
    expect(() => parseMlmodelYaml('a: 1\n    b: 2\n')).toThrow(/line 1: Nested mappings/);
    expect(() => parseMlmodelYaml('a: 1\na: 2\n')).toThrow(/line 2: Map keys must be unique/);
  });

  it('keeps a flavor named __proto__ a flavor like any other, never the prototype of the others', async () => {
    const dir = await tempDir('heart-mlmodel-proto-');
    try {
      const text = 'flavors:\n  __proto__:\n    onnx:\n      data: other.onnx\n';
      await writeFile(join(dir.path, 'MLmodel'), text);
      const mlmodel = (await readMlmodel(dir.path))!;
      expect(Object.keys(mlmodel.flavors)).toEqual(['__proto__']);
      expect(mlmodel.flavors.onnx).toBeUndefined();
    } finally {
      await dir.cleanup();
    }
  });
});
