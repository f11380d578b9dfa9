import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTrackingClient, type ModelSignature } from '@heart/mlflow';
import { exportOnnx } from '@heart/onnx';
import { type Pipeline, pipelineFiles, signatureInputs } from '@heart/pipeline';
import { type Exchange, MLFLOW_GOLDEN_DIR } from '@heart/test-support';
import { expect } from 'vitest';

/** The recorded ONNX model folders (SPEC §10), three columns x1..x3. */
export const GOLDEN_ONNX = join(MLFLOW_GOLDEN_DIR, 'onnx');

/** The 30 exchanges recorded from `mlflow models serve` with ONNX models (SPEC §10.3). */
export function onnxExchanges(): Exchange[] {
  return readFileSync(join(GOLDEN_ONNX, 'scoring-exchanges.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Exchange);
}

/** What MLflow's onnx pyfunc wrapper answered, by model and input (`pyfunc-predict.json`). */
export function pyfuncCase(model: string, input: string): Record<string, unknown> {
  const { cases } = JSON.parse(readFileSync(join(GOLDEN_ONNX, 'pyfunc-predict.json'), 'utf8')) as {
    cases: { model: string; input: string }[];
  };
  const found = cases.find((item) => item.model === model && item.input === input);
  if (!found) throw new Error(`no pyfunc case ${model} / ${input}`);
  return found as Record<string, unknown>;
}

/** Numbers equal within `tolerance`, everything else deeply equal (same keys in the same order). */
export function expectClose(
  actual: unknown,
  expected: unknown,
  tolerance: number,
  path = '$',
): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(
      Math.abs((actual as number) - expected),
      `${path}: ${actual} vs ${expected}`,
    ).toBeLessThanOrEqual(tolerance);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((item, i) => {
      expectClose((actual as unknown[])[i], item, tolerance, `${path}[${i}]`);
    });
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    const object = expected as Record<string, unknown>;
    expect(Object.keys(actual as object), path).toEqual(Object.keys(object));
    for (const key of Object.keys(object))
      expectClose(
        (actual as Record<string, unknown>)[key],
        object[key],
        tolerance,
        `${path}.${key}`,
      );
    return;
  }
  expect(actual, path).toEqual(expected);
}

/** The `python_function` and `onnx` flavors as MLflow's onnx flavor writes them (and train logs them). */
const ONNX_FLAVORS = {
  python_function: {
    loader_module: 'mlflow.onnx',
    python_version: '3.11.2',
    data: 'model.onnx',
    env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
  },
  onnx: {
    onnx_version: '1.12.0',
    data: 'model.onnx',
    providers: ['CUDAExecutionProvider', 'CPUExecutionProvider'],
    onnx_session_options: null,
    code: null,
  },
};

const localPath = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);

/** A model logged into an MLflow store: its `runs:/` URI and its folder in the run's artifacts. */
export interface LoggedOnnx {
  uri: string;
  folder: string;
  runId: string;
}

/**
 * Logs a model with the onnx flavor into the store at `trackingUri` (a file store path), as
 * `mlflow.onnx.log_model` does; with `pipeline`, also heart's own flavor and files, as train logs
 * every model (heart + onnx + python_function, heart's `double` column signature).
 */
export async function logOnnxModel(
  trackingUri: string,
  options: { onnx: Uint8Array; signature?: ModelSignature; pipeline?: Pipeline; runName?: string },
): Promise<LoggedOnnx> {
  const client = createTrackingClient({ trackingUri, env: {} });
  try {
    const { pipeline } = options;
    const { python_function, onnx } = ONNX_FLAVORS;
    return await client.withRun(
      { experimentName: 'heart-onnx', runName: options.runName ?? 'onnx' },
      async (run) => {
        await run.logModel({
          files: {
            ...(pipeline ? pipelineFiles(pipeline, 'mlflow-model') : {}),
            'model.onnx': options.onnx,
          },
          flavor: pipeline
            ? {
                name: 'heart',
                config: { model_file: 'model.json', model_kind: pipeline.classifier.kind },
              }
            : { name: 'onnx', config: onnx },
          flavors: pipeline ? ONNX_FLAVORS : { python_function },
          mlflowVersion: '2.17.2',
          ...(options.signature ? { signature: options.signature } : {}),
        });
        return {
          uri: `runs:/${run.runId}/model`,
          folder: join(localPath(run.info.artifactUri), 'model'),
          runId: run.runId,
        };
      },
    );
  } finally {
    await client.close();
  }
}

/** heart's own model as train logs it: the pipeline's files, `model.onnx`, heart's signature. */
export function logHeartModel(trackingUri: string, pipeline: Pipeline): Promise<LoggedOnnx> {
  return logOnnxModel(trackingUri, {
    pipeline,
    onnx: exportOnnx(pipeline),
    signature: {
      inputs: signatureInputs(pipeline.inputSchema),
      outputs: [
        { name: 'prediction', type: 'long' },
        { name: 'probability', type: 'double' },
      ],
    },
    runName: 'heart',
  });
}
