import type { LogisticRegressionJSON, RandomForestJSON } from '@heart/models';
import type { Pipeline } from '@heart/pipeline';
import { ensembleNodes, nodeAttributes } from '../internal/forest-graph.js';
import { GraphBuilder } from '../internal/graph-builder.js';
import { DataType, encodeModel } from '../internal/onnx-schema.js';
import { addPreprocessor } from '../internal/preprocessor-graph.js';

const ML = 'ai.onnx.ml';

/** Column 1 of a `[N, 2]` float32 score tensor, as float64 `[N]`. */
function positiveColumn(graph: GraphBuilder, scores: string): string {
  const positive = graph.op('Gather', [scores, graph.int64s('positive_class', [1], [])], {
    axis: { int: 1 },
  });
  return graph.op('Cast', [positive], { to: { int: DataType.DOUBLE } });
}

/**
 * P(class 1) through ai.onnx.ml's `LinearClassifier` as skl2onnx writes a binary model
 * (coefficients `[−w, w]`, intercepts `[−b, b]`, `LOGISTIC`): float32 coefficients and scores.
 */
function linearClassifier(graph: GraphBuilder, json: LogisticRegressionJSON, features: string) {
  const w = json.coefficients;
  const [, scores] = graph.node('LinearClassifier', [features], {
    domain: ML,
    outputs: 2,
    attributes: {
      coefficients: { floats: [...w.map((x) => -x), ...w] },
      intercepts: { floats: [-json.intercept, json.intercept] },
      classlabels_ints: { ints: [0, 1] },
      post_transform: { string: 'LOGISTIC' },
      multi_class: { int: 0 },
    },
  });
  return positiveColumn(graph, scores!);
}

/**
 * P(class 1) through `TreeEnsembleClassifier` as skl2onnx writes a binary forest (class-1
 * weights only, `[1 − s, s]` out), with float64 thresholds and weights but a float32 score.
 */
function treeEnsembleClassifier(
  graph: GraphBuilder,
  json: RandomForestJSON,
  features: string,
  width: number,
) {
  const nodes = ensembleNodes(json, width);
  const trees = json.trees.length;
  const [, scores] = graph.node('TreeEnsembleClassifier', [features], {
    domain: ML,
    outputs: 2,
    attributes: {
      ...nodeAttributes(nodes),
      class_treeids: { ints: nodes.leafTree },
      class_nodeids: { ints: nodes.leafNode },
      class_ids: { ints: nodes.leafTree.map(() => 0) },
      class_weights_as_tensor: {
        tensor: {
          dataType: DataType.DOUBLE,
          dims: [nodes.leafValue.length],
          values: nodes.leafValue.map((value) => value / trees),
        },
      },
      classlabels_int64s: { ints: [0, 1] },
      post_transform: { string: 'NONE' },
    },
  });
  return positiveColumn(graph, scores!);
}

/**
 * The pipeline with its classifier as ai.onnx.ml's own classifier op (`LinearClassifier` or
 * `TreeEnsembleClassifier`) instead of the exporter's choice: one float64 `[N]` input per field,
 * one `probability` float64 `[N]` output. For measuring what the exporter's ops gain.
 */
export function exportWithMlClassifier(pipeline: Pipeline): Uint8Array {
  const state = pipeline.toJSON();
  const graph = new GraphBuilder();
  const fields = state.metadata.inputSchema.map((column) => graph.reserve(column.name));
  const axis = graph.int64s('column_axis', [1]);
  const features = addPreprocessor(graph, state.preprocessor, (columns) =>
    graph.op(
      'Concat',
      columns.map((column) => graph.op('Unsqueeze', [column, axis])),
      { axis: { int: 1 } },
    ),
  );
  const width = state.metadata.featureNames.length;
  const probability =
    state.classifier.kind === 'random-forest'
      ? treeEnsembleClassifier(graph, state.classifier as RandomForestJSON, features, width)
      : linearClassifier(graph, state.classifier as LogisticRegressionJSON, features);
  graph.node('Identity', [probability], { outputs: ['probability'] });
  return encodeModel({
    ir_version: 8,
    opset_import: [
      { domain: '', version: 17 },
      { domain: ML, version: 3 },
    ],
    graph: graph.build(
      'alternative',
      fields.map((name) => ({ name, dataType: DataType.DOUBLE, dims: ['N'] })),
      [{ name: 'probability', dataType: DataType.DOUBLE, dims: ['N'] }],
    ),
  });
}
