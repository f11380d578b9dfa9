import type { LogisticRegressionJSON, RandomForestJSON } from '@heart/models';
import { unsupported } from '../errors.js';
import { addForest } from './forest-graph.js';
import type { GraphBuilder } from './graph-builder.js';

/**
 * Adds the classifier on the `[N, width]` float64 features; returns the `[N]` float64 value of
 * P(class 1).
 */
export function addClassifier(
  graph: GraphBuilder,
  json: { kind: string; formatVersion: number },
  features: string,
  width: number,
): string {
  if (json.formatVersion !== 1)
    throw unsupported(`classifier ${json.kind}: formatVersion ${json.formatVersion}`);
  switch (json.kind) {
    case 'logistic-regression':
      return addLogistic(graph, json as LogisticRegressionJSON, features, width);
    case 'random-forest':
      return addForest(graph, json as RandomForestJSON, features, width);
    default:
      throw unsupported(`classifier ${json.kind}: no ONNX form for this kind of model`);
  }
}

/**
 * σ(x·w + b) with standard ops in float64 (`MatMul`, `Add`, `Sigmoid`): ai.onnx.ml's
 * `LinearClassifier` keeps its coefficients as float32 attributes, which costs ~1e-7 of
 * probability; these keep every bit of the JS model's weights.
 */
function addLogistic(
  graph: GraphBuilder,
  json: LogisticRegressionJSON,
  features: string,
  width: number,
): string {
  const coefficients = json.coefficients;
  if (!Array.isArray(coefficients) || coefficients.length !== width)
    throw unsupported(
      `logistic-regression: ${coefficients?.length} coefficients, ${width} features`,
    );
  const weights = graph.doubles('coefficients', coefficients);
  const logit = graph.op('Add', [
    graph.op('MatMul', [features, weights]),
    graph.doubles('intercept', [json.intercept], []),
  ]);
  return graph.op('Sigmoid', [logit]);
}
