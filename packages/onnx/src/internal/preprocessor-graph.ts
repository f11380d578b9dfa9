import type {
  ColumnPipelineJSON,
  OneHotEncoderJSON,
  SimpleImputerJSON,
  StandardScalerJSON,
} from '@heart/preprocessing';
import { unsupported } from '../errors.js';
import type { GraphBuilder } from './graph-builder.js';
import { DataType } from './onnx-schema.js';

/** Gives the `[N, k]` float64 matrix of some input columns, in the order asked. */
export type ColumnsSource = (columns: readonly string[]) => string;

/**
 * Adds a fitted `ColumnPipeline` to the graph: each group's columns (from `source`) through its
 * steps, then the groups side by side. Every step computes in float64 with the same IEEE
 * operations, in the same order, as the JS transform (`x − mean` then `/ scale`; `NaN` → the
 * statistic), so the features are bit-identical. Returns the `[N, features]` float64 value.
 */
export function addPreprocessor(
  graph: GraphBuilder,
  json: ColumnPipelineJSON,
  source: ColumnsSource,
): string {
  const outputs = json.groups.map((group) => {
    let value = source(group.columns);
    let width = group.columns.length;
    for (const step of group.steps) {
      const added = addStep(graph, step, value, width, group.name);
      value = added.value;
      width = added.width;
    }
    return { value, width };
  });
  const width = outputs.reduce((sum, output) => sum + output.width, 0);
  if (width !== json.featureNames.length)
    throw unsupported(
      `the preprocessor gives ${width} columns, it names ${json.featureNames.length}`,
    );
  if (outputs.length === 1) return outputs[0]!.value;
  return graph.op(
    'Concat',
    outputs.map((output) => output.value),
    { axis: { int: 1 } },
  );
}

function addStep(
  graph: GraphBuilder,
  step: { kind: string; formatVersion: number },
  value: string,
  width: number,
  group: string,
): { value: string; width: number } {
  const where = `group "${group}", step ${step.kind}`;
  if (step.formatVersion !== 1) throw unsupported(`${where}: formatVersion ${step.formatVersion}`);
  const sized = (values: readonly unknown[] | undefined, what: string): number[] => {
    if (!Array.isArray(values) || values.length !== width || !values.every(Number.isFinite))
      throw unsupported(`${where}: ${what} must hold ${width} finite numbers`);
    return values as number[];
  };
  switch (step.kind) {
    case 'simple-imputer': {
      const statistics = sized((step as SimpleImputerJSON).statistics, 'statistics');
      const missing = graph.op('IsNaN', [value]);
      const fill = graph.doubles(`${group}_impute`, statistics);
      return { value: graph.op('Where', [missing, fill, value]), width };
    }
    case 'standard-scaler': {
      const scaler = step as StandardScalerJSON;
      let out = value;
      if (scaler.withMean !== false)
        out = graph.op('Sub', [out, graph.doubles(`${group}_mean`, sized(scaler.mean, 'mean'))]);
      if (scaler.withStd !== false)
        out = graph.op('Div', [out, graph.doubles(`${group}_scale`, sized(scaler.scale, 'scale'))]);
      return { value: out, width };
    }
    case 'one-hot-encoder':
      return addOneHot(graph, step as OneHotEncoderJSON, value, width, where);
    default:
      throw unsupported(`${where}: no ONNX form for this kind of step`);
  }
}

/**
 * One-hot encoding as `Equal` of each column (repeated once per category by one `Gather`)
 * with the category list: exact float64 comparison, as the JS encoder's lookup, and a category
 * not seen in fit gives all zeros (`handleUnknown: 'ignore'`; a heart pipeline refuses such
 * values before they reach its encoder). A `NaN` category matches `IsNaN`.
 */
function addOneHot(
  graph: GraphBuilder,
  encoder: OneHotEncoderJSON,
  value: string,
  width: number,
  where: string,
): { value: string; width: number } {
  const categories = encoder.categories;
  if (!Array.isArray(categories) || categories.length !== width)
    throw unsupported(`${where}: categories must hold one list per column (${width})`);
  const columnOf: number[] = [];
  const codes: number[] = [];
  const isNaNSlot: number[] = [];
  categories.forEach((list, column) => {
    for (const category of list) {
      columnOf.push(column);
      codes.push(category ?? 0);
      isNaNSlot.push(category === null ? 1 : 0);
    }
  });
  const repeated = graph.op('Gather', [value, graph.int64s('onehot_columns', columnOf)], {
    axis: { int: 1 },
  });
  let hits = graph.op('Equal', [repeated, graph.doubles('onehot_categories', codes)]);
  if (isNaNSlot.includes(1)) {
    const nanSlots = graph.constant('onehot_nan_slots', {
      dataType: DataType.BOOL,
      dims: [codes.length],
      values: isNaNSlot,
    });
    const valueSlots = graph.op('Not', [nanSlots]);
    const nanHits = graph.op('And', [graph.op('IsNaN', [repeated]), nanSlots]);
    hits = graph.op('Or', [graph.op('And', [hits, valueSlots]), nanHits]);
  }
  return { value: graph.op('Cast', [hits], { to: { int: DataType.DOUBLE } }), width: codes.length };
}
