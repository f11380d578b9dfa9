import type { InputSchema } from '@heart/pipeline';

/** One column of a column-based signature: a `double` or `float` (what heart feeds), required or not. */
export interface SignatureColumn {
  name: string;
  type: 'double' | 'float';
  required: boolean;
}

/** What a request to an ONNX model carries: named columns, or rows of one `[-1, width]` tensor. */
export type SignatureInputs =
  | { kind: 'columns'; columns: SignatureColumn[] }
  | { kind: 'tensor'; name: string; dtype: 'float32' | 'float64'; width: number };

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function columnOf(spec: Record<string, unknown>, index: number): SignatureColumn {
  const { name, type, required } = spec;
  if (typeof name !== 'string' || name === '')
    throw new Error(`column ${index} has no name (heart needs named columns)`);
  if (type !== 'double' && type !== 'float') {
    throw new Error(
      `column ${JSON.stringify(name)} has type ${JSON.stringify(type)}; heart serves numeric columns of type double or float`,
    );
  }
  return { name, type, required: required !== false };
}

/** Widest `[-1, k]` tensor served: the load probes with a row of k zeros, so a claimed k must not decide what is allocated. */
export const MAX_TENSOR_WIDTH = 1_000_000;

function tensorOf(spec: Record<string, unknown>): SignatureInputs {
  const tensor = spec['tensor-spec'];
  const name = typeof spec.name === 'string' && spec.name !== '' ? spec.name : undefined;
  if (!isMapping(tensor)) throw new Error('a tensor input has no tensor-spec');
  const { dtype, shape } = tensor;
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new Error(
      `tensor ${name ?? '(unnamed)'} has dtype ${JSON.stringify(dtype)}; heart feeds float32 or float64`,
    );
  if (
    !Array.isArray(shape) ||
    shape.length !== 2 ||
    shape[0] !== -1 ||
    !Number.isSafeInteger(shape[1]) ||
    (shape[1] as number) < 1
  ) {
    throw new Error(
      `tensor ${name ?? '(unnamed)'} has shape ${JSON.stringify(shape)}; heart serves [-1, k] (one row of k values per prediction)`,
    );
  }
  if ((shape[1] as number) > MAX_TENSOR_WIDTH)
    throw new Error(
      `tensor ${name ?? '(unnamed)'} has shape ${JSON.stringify(shape)}; heart serves at most ${MAX_TENSOR_WIDTH} values a row`,
    );
  if (!name) throw new Error('the tensor input has no name');
  return { kind: 'tensor', name, dtype, width: shape[1] as number };
}

/**
 * The inputs of an MLmodel `signature.inputs` (the JSON text MLflow writes): columns of type
 * `double` or `float` (others are refused), or exactly one `[-1, k]` float tensor. Throws an
 * Error saying what does not fit; undefined when the model has no signature.
 *
 * @example
 * parseSignatureInputs('[{"type": "double", "name": "x1", "required": true}]');
 * // { kind: 'columns', columns: [{ name: 'x1', type: 'double', required: true }] }
 */
export function parseSignatureInputs(text: string | undefined): SignatureInputs | undefined {
  if (text === undefined) return undefined;
  let specs: unknown;
  try {
    specs = JSON.parse(text);
  } catch {
    throw new Error('signature.inputs is not JSON');
  }
  if (!Array.isArray(specs) || specs.length === 0 || !specs.every(isMapping))
    throw new Error('signature.inputs is not a list of column or tensor specs');
  if (specs.some((spec) => spec.type === 'tensor')) {
    if (specs.length !== 1)
      throw new Error(
        `signature.inputs has ${specs.length} tensors; heart serves one [-1, k] tensor`,
      );
    return tensorOf(specs[0]!);
  }
  const columns = specs.map(columnOf);
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name))
      throw new Error(`column ${JSON.stringify(column.name)} appears twice`);
    seen.add(column.name);
  }
  return { kind: 'columns', columns };
}

/**
 * The input schema heart validates a column signature's requests with: every column numeric,
 * without bounds (a signature states none), `null` or absent only where not `required`.
 *
 * @example
 * columnSchema([{ name: 'x1', type: 'double', required: true }]); // [{ name: 'x1', kind: 'numeric', nullable: false }]
 */
export function columnSchema(columns: readonly SignatureColumn[]): InputSchema {
  return columns.map((column) => ({
    name: column.name,
    kind: 'numeric',
    description: `${column.type}${column.required ? '' : ', optional'} (MLmodel signature)`,
    nullable: !column.required,
  }));
}
