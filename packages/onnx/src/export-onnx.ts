import type { Pipeline, PipelineJSON } from '@heart/pipeline';
import { OnnxError } from './errors.js';
import { addClassifier } from './internal/classifier-graph.js';
import { GraphBuilder, type ValueInfo } from './internal/graph-builder.js';
import { DataType, encodeModel } from './internal/onnx-schema.js';
import { addPreprocessor, type ColumnsSource } from './internal/preprocessor-graph.js';

/**
 * What every exported graph is written for: IR version 8 and opsets `""` 17 and `ai.onnx.ml` 3,
 * the newest that the `onnx` 1.12 checker (Debian bookworm's, the one `mlflow.onnx.load_model`
 * runs) accepts; onnxruntime 1.30 runs them too.
 */
export const ONNX_TARGET = {
  irVersion: 8,
  opsets: { '': 17, 'ai.onnx.ml': 3 },
  /** The `onnx` Python package this format matches (MLflow's `onnx_version`). */
  onnxVersion: '1.12.0',
} as const;

/** `producer_version` of every graph: the version of the export format, not of a package. */
const PRODUCER_VERSION = '1';

/** The graph's two outputs, one value per row each. */
export const ONNX_OUTPUTS = {
  /** int64 `[N]`: 1 where `probability ≥ threshold` (the pipeline's), else 0. */
  prediction: 'prediction',
  /** float64 `[N]`: P(class 1), the pipeline's `predictProba`. */
  probability: 'probability',
} as const;

/** Options for {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /**
   * `'columns'` (default): one float64 `[N]` input per input-schema field, named after it — what
   * MLflow's onnx pyfunc feeds from a DataFrame to a graph with several inputs
   * (`df[name].values`). `'tensor'`: one float64 `[N, fields]` input, fields in input-schema
   * order — what it feeds to a graph with one input (`df.values`). Missing values are `NaN`.
   */
  inputs?: 'columns' | 'tensor';
  /** The name of the single input of `inputs: 'tensor'`. Default `'input'`. */
  inputName?: string;
  /** The graph's name. Default `'heart_pipeline'`. */
  graphName?: string;
  /** Extra `metadata_props` entries (strings), beside the `heart.*` ones. */
  metadata?: Readonly<Record<string, string>>;
}

function readOptions(given: ExportOnnxOptions | null): Required<ExportOnnxOptions> {
  const fail = (message: string): never => {
    throw new OnnxError({ code: 'INVALID_OPTION', message: `exportOnnx: ${message}` });
  };
  // null is no options, as everywhere else; anything else that is not an object is refused.
  if (given !== null && (typeof given !== 'object' || Array.isArray(given)))
    fail(`options must be an object, got ${Array.isArray(given) ? 'an array' : typeof given}`);
  const options = given ?? {};
  const inputs = options.inputs ?? 'columns';
  if (inputs !== 'columns' && inputs !== 'tensor')
    fail(`inputs must be 'columns' or 'tensor', got ${JSON.stringify(inputs)}`);
  const inputName = options.inputName ?? 'input';
  const graphName = options.graphName ?? 'heart_pipeline';
  for (const [what, value] of [
    ['inputName', inputName],
    ['graphName', graphName],
  ] as const)
    if (typeof value !== 'string' || value === '') fail(`${what} must be a non-empty string`);
  const metadata = options.metadata ?? {};
  if (Object.values(metadata).some((value) => typeof value !== 'string'))
    fail('metadata values must be strings');
  return { inputs, inputName, graphName, metadata };
}

function pipelineState(pipeline: Pipeline): PipelineJSON {
  if (!pipeline || typeof pipeline !== 'object' || pipeline.kind !== 'heart-pipeline')
    throw new OnnxError({ code: 'NOT_FITTED', message: 'exportOnnx: expected a heart Pipeline' });
  if (!pipeline.fitted)
    throw new OnnxError({
      code: 'NOT_FITTED',
      message: 'exportOnnx: the pipeline is not fitted: call fit() first, or load a saved one',
    });
  return pipeline.toJSON();
}

/** The graph inputs and, per set of columns, the `[N, k]` matrix of them. */
function addInputs(
  graph: GraphBuilder,
  fields: readonly string[],
  options: Required<ExportOnnxOptions>,
): { inputs: ValueInfo[]; source: ColumnsSource } {
  if (options.inputs === 'tensor') {
    const name = graph.reserve(options.inputName);
    const source: ColumnsSource = (columns) =>
      graph.op('Gather', [name, graph.int64s('columns', columns.map(position(fields)))], {
        axis: { int: 1 },
      });
    return {
      inputs: [
        {
          name,
          dataType: DataType.DOUBLE,
          dims: ['N', fields.length],
          docString: `fields ${fields.join(', ')}; NaN = missing`,
        },
      ],
      source,
    };
  }
  const names = fields.map((field) => graph.reserve(field));
  const axis = graph.int64s('column_axis', [1]);
  const asColumn = new Map<string, string>();
  const column = (field: string): string => {
    let value = asColumn.get(field);
    if (value === undefined) {
      position(fields)(field);
      value = graph.op('Unsqueeze', [field, axis]);
      asColumn.set(field, value);
    }
    return value;
  };
  const source: ColumnsSource = (columns) => {
    if (columns.length === 1) return column(columns[0]!);
    return graph.op('Concat', columns.map(column), { axis: { int: 1 } });
  };
  return {
    inputs: names.map((name) => ({ name, dataType: DataType.DOUBLE, dims: ['N'] })),
    source,
  };
}

function position(fields: readonly string[]) {
  return (column: string): number => {
    const index = fields.indexOf(column);
    if (index < 0)
      throw new OnnxError({
        code: 'UNSUPPORTED_PIPELINE',
        message: `exportOnnx: the preprocessor reads ${column}, which the input schema does not name`,
      });
    return index;
  };
}

/**
 * The whole fitted pipeline as one ONNX graph (`model.onnx` bytes): the raw input fields →
 * imputation (`IsNaN`/`Where`) → scaling (`Sub`/`Div`) → one-hot encoding (`Equal`, unknown
 * categories all zeros) → `Concat` → the classifier → `probability` (float64 `[N]`, P(class 1))
 * and `prediction` (int64 `[N]`, `probability ≥ threshold`), everything in float64. No ZipMap, no
 * `[N, 2]` output: MLflow's onnx pyfunc turns each output into one DataFrame column. The same
 * pipeline always gives the same bytes.
 *
 * @example
 * ```ts
 * const bytes = exportOnnx(pipeline); // inputs age, sex, …, thal: float64 [N], NaN = missing
 * writeFileSync('model.onnx', bytes);
 * const session = await InferenceSession.create(bytes); // onnxruntime-node
 * ```
 */
export function exportOnnx(pipeline: Pipeline, options: ExportOnnxOptions | null = {}): Uint8Array {
  const settings = readOptions(options);
  const state = pipelineState(pipeline);
  const { metadata } = state;
  const graph = new GraphBuilder();
  const fields = metadata.inputSchema.map((column) => column.name);
  const clash = fields.find((field) => Object.values<string>(ONNX_OUTPUTS).includes(field));
  if (clash !== undefined)
    throw new OnnxError({
      code: 'UNSUPPORTED_PIPELINE',
      message: `exportOnnx: the input field ${clash} has the name of an output`,
    });
  const { inputs, source } = addInputs(graph, fields, settings);
  const features = addPreprocessor(graph, state.preprocessor, source);
  const probability = addClassifier(
    graph,
    state.classifier,
    features,
    metadata.featureNames.length,
  );
  graph.node('Identity', [probability], { outputs: [ONNX_OUTPUTS.probability] });
  const positive = graph.op('GreaterOrEqual', [
    probability,
    graph.doubles('threshold', [metadata.threshold], []),
  ]);
  graph.node('Cast', [positive], {
    outputs: [ONNX_OUTPUTS.prediction],
    attributes: { to: { int: DataType.INT64 } },
  });
  const outputs: ValueInfo[] = [
    {
      name: ONNX_OUTPUTS.prediction,
      dataType: DataType.INT64,
      dims: ['N'],
      docString: `1 where probability >= ${metadata.threshold}, else 0`,
    },
    {
      name: ONNX_OUTPUTS.probability,
      dataType: DataType.DOUBLE,
      dims: ['N'],
      docString: `P(class ${metadata.classLabels[1]})`,
    },
  ];
  const heart = {
    'heart.classifier': metadata.classifierKind,
    'heart.threshold': String(metadata.threshold),
    'heart.class_labels': JSON.stringify(metadata.classLabels),
    'heart.feature_names': JSON.stringify(metadata.featureNames),
    'heart.input_schema': JSON.stringify(metadata.inputSchema),
  };
  return encodeModel({
    ir_version: ONNX_TARGET.irVersion,
    opset_import: Object.entries(ONNX_TARGET.opsets).map(([domain, version]) => ({
      domain,
      version,
    })),
    producer_name: 'heart',
    producer_version: PRODUCER_VERSION,
    doc_string: `heart pipeline: ${metadata.classifierKind} on ${fields.length} fields`,
    graph: graph.build(settings.graphName, inputs, outputs),
    metadata_props: Object.entries({ ...heart, ...settings.metadata }).map(([key, value]) => ({
      key,
      value,
    })),
  });
}
