import type { RandomForestJSON } from '@heart/models';
import { unsupported } from '../errors.js';
import type { AttributeValue, GraphBuilder } from './graph-builder.js';
import { DataType } from './onnx-schema.js';

const ML = 'ai.onnx.ml';

/** The trees of a forest as the parallel node lists of ai.onnx.ml's tree ensembles. */
interface EnsembleNodes {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  /** Per leaf: its tree, its node id and P(class 1). */
  leafTree: number[];
  leafNode: number[];
  leafValue: number[];
}

/**
 * Right-child links of a preorder tree (the left child of split k is k + 1). The tree comes
 * from a fitted or loaded forest, whose structure is already checked.
 */
function rightChildren(feature: readonly number[]): number[] {
  const right = new Array<number>(feature.length).fill(0);
  const open: number[] = [];
  for (let k = 0; k < feature.length; k++) {
    if (feature[k]! >= 0) {
      open.push(k);
      continue;
    }
    // A leaf ends the left subtree of the innermost split still waiting for its right child.
    while (open.length > 0) {
      const parent = open[open.length - 1]!;
      if (right[parent] === 0) {
        right[parent] = k + 1;
        break;
      }
      open.pop();
    }
  }
  return right;
}

/** Every tree's nodes and leaves, flattened; `UNSUPPORTED_PIPELINE` for a feature out of range. */
export function ensembleNodes(json: RandomForestJSON, width: number): EnsembleNodes {
  const nodes: EnsembleNodes = {
    treeIds: [],
    nodeIds: [],
    featureIds: [],
    modes: [],
    values: [],
    trueIds: [],
    falseIds: [],
    leafTree: [],
    leafNode: [],
    leafValue: [],
  };
  json.trees.forEach((tree, t) => {
    const right = rightChildren(tree.feature);
    tree.feature.forEach((feature, k) => {
      if (feature >= width) throw unsupported(`random-forest: tree ${t} reads feature ${feature}`);
      const leaf = feature < 0;
      nodes.treeIds.push(t);
      nodes.nodeIds.push(k);
      nodes.featureIds.push(leaf ? 0 : feature);
      nodes.modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      nodes.values.push(leaf ? 0 : tree.value[k]!);
      nodes.trueIds.push(leaf ? 0 : k + 1);
      nodes.falseIds.push(leaf ? 0 : right[k]!);
      if (leaf) {
        nodes.leafTree.push(t);
        nodes.leafNode.push(k);
        nodes.leafValue.push(tree.value[k]!);
      }
    });
  });
  return nodes;
}

/** The node attributes both tree ensembles share; thresholds as a float64 tensor (opset 3). */
export function nodeAttributes(nodes: EnsembleNodes): Record<string, AttributeValue> {
  return {
    nodes_treeids: { ints: nodes.treeIds },
    nodes_nodeids: { ints: nodes.nodeIds },
    nodes_featureids: { ints: nodes.featureIds },
    nodes_modes: { strings: nodes.modes },
    nodes_truenodeids: { ints: nodes.trueIds },
    nodes_falsenodeids: { ints: nodes.falseIds },
    nodes_values_as_tensor: {
      tensor: { dataType: DataType.DOUBLE, dims: [nodes.values.length], values: nodes.values },
    },
  };
}

/**
 * The forest's P(class 1) on the `[N, width]` float64 features.
 *
 * A `TreeEnsembleRegressor` with one target per tree routes every row in float64 (float64
 * input and `nodes_values_as_tensor` thresholds) and returns, per tree, the index of the leaf
 * reached — a whole number, exact in its float32 output. The leaves' P(class 1) are then
 * gathered from a float64 table and averaged in float64, so the probability is the JS forest's
 * to the last bits (`TreeEnsembleClassifier` would sum the leaves in float64 but hand the sum
 * back as float32, ~3e-8 off).
 */
export function addForest(
  graph: GraphBuilder,
  json: RandomForestJSON,
  features: string,
  width: number,
): string {
  if (!Array.isArray(json.trees) || json.trees.length === 0)
    throw unsupported('random-forest: no trees');
  const nodes = ensembleNodes(json, width);
  const trees = json.trees.length;
  const leaves = nodes.leafValue.length;
  if (leaves >= 2 ** 24) throw unsupported(`random-forest: ${leaves} leaves (at most 2^24)`);
  const [leafIndex] = graph.node('TreeEnsembleRegressor', [features], {
    domain: ML,
    attributes: {
      ...nodeAttributes(nodes),
      n_targets: { int: trees },
      target_treeids: { ints: nodes.leafTree },
      target_nodeids: { ints: nodes.leafNode },
      target_ids: { ints: nodes.leafTree },
      target_weights: { floats: nodes.leafValue.map((_, leaf) => leaf) },
      aggregate_function: { string: 'SUM' },
      post_transform: { string: 'NONE' },
    },
  });
  const index = graph.op('Cast', [leafIndex!], { to: { int: DataType.INT64 } });
  const values = graph.op('Gather', [graph.doubles('leaf_values', nodes.leafValue), index]);
  const sum = graph.op('ReduceSum', [values, graph.int64s('tree_axis', [1])], {
    keepdims: { int: 0 },
  });
  return graph.op('Div', [sum, graph.doubles('tree_count', [trees], [])]);
}
