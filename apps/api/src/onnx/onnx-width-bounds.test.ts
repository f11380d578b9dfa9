import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSignature } from '@heart/mlflow';
import { tempDir } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../model-load-error.js';
import { loadBundleFromFolder } from '../model-store.js';
import { GOLDEN_ONNX, logOnnxModel } from '../test-support/onnx-fixtures.js';
import { ELEM, rewriteGraph, valueInfo } from '../test-support/onnx-wire.js';

/**
 * An MLmodel whose tensor signature claims a huge row width, over a graph whose width is free
 * (`[N, M]`, so the graph cannot contradict it): the probe row of zeros heart runs at load is
 * `width` numbers long, so the claim alone decides how much is allocated.
 */
let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('heart-api-onnx-width-');
});
afterAll(async () => {
  await work.cleanup();
});

const freeWidth = rewriteGraph(
  readFileSync(join(GOLDEN_ONNX, 'linear-flat-double-sig', 'model.onnx')),
  {
    before: [],
    after: [],
    inputs: [valueInfo('float_input', ELEM.FLOAT, ['N', 'M'])],
    outputs: [
      valueInfo('label', ELEM.INT64, ['N']),
      valueInfo('probabilities', ELEM.FLOAT, ['N', 2]),
    ],
  },
);

const tensorOf = (width: number): ModelSignature['inputs'] => [
  {
    name: 'float_input',
    type: 'tensor' as const,
    'tensor-spec': { dtype: 'float32', shape: [-1, width] },
  },
];

describe('a tensor signature claiming a huge width', () => {
  it.each([2 ** 32, 2 ** 40])(
    '[-1, %d] is a ModelLoadError naming MLmodel, not a RangeError',
    async (width) => {
      const { folder } = await logOnnxModel(join(work.path, 'mlruns'), {
        onnx: freeWidth,
        signature: { inputs: tensorOf(width), outputs: [{ name: 'label', type: 'long' }] },
      });
      const error = await loadBundleFromFolder(folder).then(
        () => new Error('loaded a model whose signature claims a huge width'),
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(ModelLoadError);
      expect((error as ModelLoadError).file).toBe(join(folder, 'MLmodel'));
      expect((error as Error).message).toMatch(/at most 1000000 values a row/);
    },
  );

  it('a graph declaring [N, 2^32] with no signature is a ModelLoadError naming model.onnx', async () => {
    const declared = rewriteGraph(
      readFileSync(join(GOLDEN_ONNX, 'linear-flat-double-sig', 'model.onnx')),
      {
        before: [],
        after: [],
        inputs: [valueInfo('float_input', ELEM.FLOAT, ['N', 2 ** 32])],
        outputs: [
          valueInfo('label', ELEM.INT64, ['N']),
          valueInfo('probabilities', ELEM.FLOAT, ['N', 2]),
        ],
      },
    );
    const { folder } = await logOnnxModel(join(work.path, 'mlruns'), { onnx: declared });
    const error = await loadBundleFromFolder(folder).then(
      () => new Error('loaded a graph whose input claims a huge width'),
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).file).toBe(join(folder, 'model.onnx'));
  });
});
