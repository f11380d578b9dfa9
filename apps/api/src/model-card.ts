import type { ModelBundle } from './model-bundle.js';
import type { OnnxModel } from './onnx/onnx-model.js';

/** Which model answered: in every prediction and in `/ready`. */
export interface ModelRef {
  kind: string;
  runId: string | null;
  version: string;
  /** The registered model version served, when loaded through `models:/`. */
  registeredVersion?: string;
}

/**
 * The short reference to the model that answered.
 *
 * @example
 * modelRef(bundle); // { kind: 'random-forest', runId: 'd07a…', version: '0f751f66b342' }
 */
export function modelRef(bundle: ModelBundle): ModelRef {
  return {
    kind: bundle.kind,
    runId: bundle.runId,
    version: bundle.version,
    ...(bundle.registeredModel ? { registeredVersion: bundle.registeredModel.version } : {}),
  };
}

const refJson = new WeakMap<ModelBundle, string>();

/**
 * {@link modelRef} as JSON, serialised once per bundle (the hot path splices it into its answer).
 *
 * @example
 * `{"prediction":1,"model":${modelRefJson(bundle)}}`;
 */
export function modelRefJson(bundle: ModelBundle): string {
  let json = refJson.get(bundle);
  if (json === undefined) {
    json = JSON.stringify(modelRef(bundle));
    refJson.set(bundle, json);
  }
  return json;
}

/**
 * The `GET /model` answer: what is served (kind, version, source, load time, threshold, runtime),
 * how it was trained (metrics, CV, params, training time, MLflow run, data), the features the
 * model reads, and the input fields with what each allows — all from the served pipeline. An ONNX
 * graph without heart's pipeline: its signature's inputs instead, and (any ONNX model) its graph.
 *
 * @example
 * modelCard(bundle, 0.5).input[0]; // { name: 'age', description: '…', required: true, minimum: 1, maximum: 120 }
 */
export function modelCard(
  bundle: ModelBundle,
  threshold: number | undefined,
): Record<string, unknown> {
  const served = {
    ...modelRef(bundle),
    registeredModel: bundle.registeredModel ?? null,
    source: bundle.source,
    loadedAt: bundle.loadedAt,
    loadSeconds: bundle.loadSeconds,
    threshold: threshold ?? null,
    runtime: bundle.runtime === 'onnx' ? bundle.onnx.runtime : 'heart (JS)',
  };
  const onnx = bundle.runtime === 'onnx' ? { onnx: onnxCard(bundle.onnx) } : {};
  const { pipeline } = bundle;
  if (!pipeline) {
    const mlflow = bundle.runId ? { runId: bundle.runId } : null;
    const input = bundle.runtime === 'onnx' ? signatureInput(bundle.onnx) : [];
    return { ...served, mlflow, input, ...onnx };
  }
  const training = pipeline.training;
  return {
    ...served,
    metrics: training.metrics ?? null,
    cv: training.cv ?? null,
    params: training.params ?? pipeline.classifier.params,
    trainingSeconds: training.trainingSeconds ?? null,
    trainedAt: training.createdAt ?? null,
    mlflow: training.mlflow ?? null,
    data: training.data ?? null,
    featureNames: pipeline.featureNames,
    input: pipeline.inputSchema.map((field) => ({
      name: field.name,
      ...(field.description === undefined ? {} : { description: field.description }),
      required: !field.nullable,
      ...(field.kind === 'categorical'
        ? { allowed: field.values }
        : { minimum: field.min, maximum: field.max }),
    })),
    ...onnx,
  };
}

/** The request fields of an ONNX model's signature: its columns, or its one tensor. */
function signatureInput({ signature }: OnnxModel): Record<string, unknown>[] {
  if (signature.kind === 'tensor') {
    const { name, dtype, width } = signature;
    return [{ name, type: 'tensor', dtype, shape: [-1, width], required: true }];
  }
  return signature.columns.map(({ name, type, required }) => ({ name, type, required }));
}

/** What the graph is: its file, its inputs and outputs, how it is fed and read. */
function onnxCard(onnx: OnnxModel): Record<string, unknown> {
  const shape = (dims: readonly (number | string)[]) =>
    dims.map((dim) => (typeof dim === 'number' ? dim : -1));
  const { feed, output } = onnx;
  return {
    file: onnx.file,
    bytes: onnx.bytes,
    inputs: onnx.graph.inputs.map((input) => ({ ...input, shape: shape(input.shape) })),
    outputs: onnx.graph.outputs.map((item) => ({ ...item, shape: shape(item.shape) })),
    fed:
      feed.kind === 'matrix'
        ? `one [N, ${feed.width}] ${feed.type} input (${feed.input}), values in signature order`
        : `one ${feed.inputs[0]?.type ?? 'float'} input per column (${feed.inputs.map((input) => (input.rank === 1 ? `${input.name} [N]` : `${input.name} [N, 1]`)).join(', ')})`,
    label: output.label ?? null,
    probability:
      output.probability.column === undefined
        ? output.probability.name
        : `${output.probability.name}[:, 1]`,
  };
}
