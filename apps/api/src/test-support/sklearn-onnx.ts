import { exportOnnx } from '@heart/onnx';
import type { Pipeline } from '@heart/pipeline';
import { ELEM, node, rewriteGraph, valueInfo } from './onnx-wire.js';

/** What a graph converted by skl2onnx (with `zipmap=False`) looks like from outside. */
export interface SklearnStyle {
  /**
   * `tensor`: one `float_input` `[N, 13]` input, as `convert_sklearn(…, [('float_input',
   * FloatTensorType([None, 13]))])` declares it; `columns`: one `[N, 1]` input per column, named
   * after it, as for a ColumnTransformer.
   */
  inputs: 'tensor' | 'columns';
  /** Element type of the inputs. Default `float` (skl2onnx's FloatTensorType). */
  inputType?: 'float' | 'double';
  /** `probabilities`: `label` int64 `[N]` + `probabilities` float `[N, 2]`; `probability_1`: + float `[N]`. */
  outputs: 'probabilities' | 'probability_1';
  /** With `columns`: the name of a column's input in the graph. Default the column's own. */
  inputName?: (column: string) => string;
}

/**
 * heart's pipeline as one ONNX graph (`exportOnnx`, float64 inside) with the inputs and outputs
 * skl2onnx gives a scikit-learn classifier: float32 inputs cast to float64 at the door, `label`,
 * and `probabilities` `[N, 2]` (float32) or a per-row `probability_1`.
 *
 * @example
 * const bytes = sklearnStyleOnnx(pipeline, { inputs: 'tensor', outputs: 'probabilities' });
 */
export function sklearnStyleOnnx(pipeline: Pipeline, style: SklearnStyle): Uint8Array {
  const names = pipeline.inputSchema.map((column) => column.name);
  const elem = style.inputType === 'double' ? ELEM.DOUBLE : ELEM.FLOAT;
  const before: Uint8Array[] = [];
  const rename: Record<string, string> = {};
  let inputs: Uint8Array[];
  let model: Uint8Array;
  if (style.inputs === 'tensor') {
    model = exportOnnx(pipeline, { inputs: 'tensor', inputName: 'heart_input' });
    inputs = [valueInfo('float_input', elem, ['N', names.length])];
    before.push(node('Cast', ['float_input'], ['heart_input'], { to: { int: ELEM.DOUBLE } }));
  } else {
    model = exportOnnx(pipeline, { inputs: 'columns' });
    const inputName = style.inputName ?? ((name: string) => name);
    inputs = names.map((name) => valueInfo(inputName(name), elem, ['N', 1]));
    before.push(
      node('Constant', [], ['flat_shape'], {
        value: { tensor: { elem: ELEM.INT64, dims: [1], values: [-1] } },
      }),
    );
    for (const name of names) {
      rename[name] = `${name}__heart`;
      before.push(
        node('Cast', [inputName(name)], [`${name}__double`], { to: { int: ELEM.DOUBLE } }),
        node('Reshape', [`${name}__double`, 'flat_shape'], [`${name}__heart`]),
      );
    }
  }
  const after = [
    node('Identity', ['prediction'], ['label']),
    node('Cast', ['probability'], ['p_float'], { to: { int: ELEM.FLOAT } }),
  ];
  const outputs = [valueInfo('label', ELEM.INT64, ['N'])];
  if (style.outputs === 'probability_1') {
    after.push(node('Identity', ['p_float'], ['probability_1']));
    outputs.push(valueInfo('probability_1', ELEM.FLOAT, ['N']));
  } else {
    after.push(
      node('Constant', [], ['one'], {
        value: { tensor: { elem: ELEM.FLOAT, dims: [], values: [1] } },
      }),
      node('Constant', [], ['axis_1'], {
        value: { tensor: { elem: ELEM.INT64, dims: [1], values: [1] } },
      }),
      node('Sub', ['one', 'p_float'], ['q_float']),
      node('Unsqueeze', ['q_float', 'axis_1'], ['q_column']),
      node('Unsqueeze', ['p_float', 'axis_1'], ['p_column']),
      node('Concat', ['q_column', 'p_column'], ['probabilities'], { axis: { int: 1 } }),
    );
    outputs.push(valueInfo('probabilities', ELEM.FLOAT, ['N', 2]));
  }
  return rewriteGraph(model, { rename, before, after, inputs, outputs });
}
