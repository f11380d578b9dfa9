import type { InferenceSession } from 'onnxruntime-node';
import { MAX_TENSOR_WIDTH, type SignatureInputs } from './onnx-signature.js';

/** A graph input or output as onnxruntime describes it (`''` or a name for a free dimension). */
export interface GraphTensor {
  name: string;
  /** The element type (`float32`, `int64`, …), or `non-tensor` (a sequence, a map: ZipMap). */
  type: string;
  shape: readonly (number | string)[];
}

/** How a request's rows (a `[N, width]` matrix, NaN = missing) become the graph's feeds. */
export type FeedPlan =
  | { kind: 'matrix'; input: string; type: 'float32' | 'float64'; width: number }
  | {
      kind: 'columns';
      /** One graph input per matrix column, in the matrix's order. */
      inputs: { name: string; type: 'float32' | 'float64'; rank: 1 | 2 }[];
    };

/** Which outputs answer: the label (optional), the positive-class probability, and every tensor output. */
export interface OutputPlan {
  /** An integer `[N]` output: the model's own decision. */
  label: string | undefined;
  /** A float `[N]` output, or column 1 of a float `[N, 2]` one. */
  probability: { name: string; column: 1 | undefined };
  /** The tensor outputs, in graph order (what `/invocations` answers with). */
  fetches: string[];
}

/** A model whose graph the API cannot serve: what is wrong, in words. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

const FLOATS = new Set(['float32', 'float64']);
const free = (dim: number | string | undefined) => typeof dim === 'string';
const describe = (tensor: GraphTensor) =>
  `${tensor.name} ${tensor.type} [${tensor.shape.map((d) => (free(d) ? 'N' : d)).join(', ')}]`;

/** The graph's inputs and outputs from a session's metadata. */
export function graphTensors(list: readonly InferenceSession.ValueMetadata[]): GraphTensor[] {
  return list.map((value) =>
    value.isTensor
      ? { name: value.name, type: value.type, shape: value.shape }
      : { name: value.name, type: 'non-tensor', shape: [] },
  );
}

function feedable(input: GraphTensor): 'float32' | 'float64' {
  if (!FLOATS.has(input.type))
    throw new PlanError(`input ${describe(input)}: heart feeds float or double inputs only`);
  if (!free(input.shape[0]))
    throw new PlanError(`input ${describe(input)}: the first dimension must be free (N rows)`);
  return input.type as 'float32' | 'float64';
}

/**
 * How to feed a graph from a request's values — as MLflow's onnx pyfunc does, and where it
 * cannot, as the graph declares: one `[N, k]` input takes the whole row (columns in signature
 * order, or the tensor's values); otherwise one input per column, named after it, `[N]` or
 * `[N, 1]`. Every value is cast to the input's element type (float32 or float64).
 *
 * @example
 * feedPlan(inputs, { kind: 'columns', columns }); // { kind: 'columns', inputs: [{ name: 'x1', type: 'float32', rank: 2 }, …] }
 */
export function feedPlan(inputs: readonly GraphTensor[], signature: SignatureInputs): FeedPlan {
  const names =
    signature.kind === 'columns' ? signature.columns.map((column) => column.name) : undefined;
  const width = signature.kind === 'tensor' ? signature.width : names!.length;
  const [first] = inputs;
  if (inputs.length === 1 && first && first.shape.length === 2) {
    const type = feedable(first);
    const columns = first.shape[1];
    if (!free(columns) && columns !== width) {
      throw new PlanError(
        `input ${describe(first)} takes ${columns} values a row, the signature gives ${width}`,
      );
    }
    return { kind: 'matrix', input: first.name, type, width };
  }
  if (!names) {
    throw new PlanError(
      `the tensor signature (${width} values a row) needs a graph with one [N, ${width}] input; the graph has ${inputs.map(describe).join(', ')}`,
    );
  }
  const byName = new Map(inputs.map((input) => [input.name, input]));
  const extra = inputs.filter((input) => !names.includes(input.name)).map((input) => input.name);
  const missing = names.filter((name) => !byName.has(name));
  if (extra.length > 0 || missing.length > 0) {
    throw new PlanError(
      `the graph's inputs (${inputs.map(describe).join(', ')}) cannot be fed from the signature's columns (${names.join(', ')}): give it one [N, ${width}] input, or one [N] or [N, 1] input per column, named after it`,
    );
  }
  return {
    kind: 'columns',
    inputs: names.map((name) => {
      const input = byName.get(name)!;
      const type = feedable(input);
      const rank = input.shape.length;
      if (rank !== 1 && !(rank === 2 && (input.shape[1] === 1 || free(input.shape[1])))) {
        throw new PlanError(`input ${describe(input)}: a column input is [N] or [N, 1]`);
      }
      return { name, type, rank: rank as 1 | 2 };
    }),
  };
}

/**
 * The signature a graph implies when the MLmodel has none: its `[N]` / `[N, 1]` float inputs as
 * required columns (float32 → `float`, float64 → `double`), or its one `[N, k]` input as a tensor.
 *
 * @example
 * impliedSignature([{ name: 'float_input', type: 'float32', shape: ['', 3] }]); // { kind: 'tensor', name: 'float_input', dtype: 'float32', width: 3 }
 */
export function impliedSignature(inputs: readonly GraphTensor[]): SignatureInputs {
  const [first] = inputs;
  if (
    inputs.length === 1 &&
    first &&
    first.shape.length === 2 &&
    typeof first.shape[1] === 'number' &&
    first.shape[1] > 1
  ) {
    if (first.shape[1] > MAX_TENSOR_WIDTH)
      throw new PlanError(
        `input ${describe(first)} takes ${first.shape[1]} values a row; heart serves at most ${MAX_TENSOR_WIDTH}`,
      );
    return { kind: 'tensor', name: first.name, dtype: feedable(first), width: first.shape[1] };
  }
  return {
    kind: 'columns',
    columns: inputs.map((input) => ({
      name: input.name,
      type: feedable(input) === 'float32' ? 'float' : 'double',
      required: true,
    })),
  };
}

const LABELS = ['label', 'prediction', 'output_label', 'predicted_label'];
const PER_ROW = ['probability', 'probability_1', 'positive_probability', 'score'];
const PAIRS = ['probabilities', 'output_probability', 'probability', 'scores'];

const rank = (tensor: GraphTensor, n: number) => tensor.shape.length === n;
const pick = (names: readonly string[], tensors: readonly GraphTensor[]) =>
  names.map((name) => tensors.find((tensor) => tensor.name === name)).find(Boolean) ??
  (tensors.length === 1 ? tensors[0] : undefined);

/**
 * Which outputs answer: the label is an integer `[N]` output (`label`, `prediction`, … or the only
 * one); P(positive class) a float `[N]` output (`probability`, `probability_1`, … or the only one)
 * or column 1 of a float `[N, 2]` one (`probabilities`, …). No probability → a {@link PlanError}
 * naming the outputs. Non-tensor outputs (ZipMap's maps) are left unfetched.
 *
 * @example
 * outputPlan(outputs); // { label: 'label', probability: { name: 'probabilities', column: 1 }, fetches: ['label', 'probabilities'] }
 */
export function outputPlan(outputs: readonly GraphTensor[]): OutputPlan {
  const tensors = outputs.filter((output) => output.type !== 'non-tensor');
  const floats = tensors.filter((output) => FLOATS.has(output.type));
  const integers = tensors.filter((output) => /^u?int(8|16|32|64)$/.test(output.type));
  const label = pick(
    LABELS,
    integers.filter((output) => rank(output, 1)),
  );
  const perRow = pick(
    PER_ROW,
    floats.filter((output) => rank(output, 1)),
  );
  const pairs = pick(
    PAIRS,
    floats.filter((output) => rank(output, 2) && (output.shape[1] === 2 || free(output.shape[1]))),
  );
  const probability = perRow
    ? { name: perRow.name, column: undefined }
    : pairs
      ? { name: pairs.name, column: 1 as const }
      : undefined;
  if (!probability) {
    throw new PlanError(
      `none of the graph's outputs (${outputs.map(describe).join(', ')}) is a probability heart can read: give a float [N] output (probability_1) or a float [N, 2] one (probabilities) of a binary classifier${outputs.some((output) => output.type === 'non-tensor') ? '; a ZipMap output (a sequence of maps) is not read: export with zipmap=False' : ''}`,
    );
  }
  return { label: label?.name, probability, fetches: tensors.map((output) => output.name) };
}
