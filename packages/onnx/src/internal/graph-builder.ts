import { AttributeType, DataType, type DataTypeCode } from './onnx-schema.js';

/** An attribute value: numbers are INT unless listed as floats, arrays are INTS/FLOATS/STRINGS. */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { string: string }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { strings: readonly string[] }
  | { tensor: TensorValue };

/** A constant tensor: its element type, shape and values (`raw_data`, little-endian). */
export interface TensorValue {
  dataType: DataTypeCode;
  dims: readonly number[];
  values: ArrayLike<number>;
}

const text = new TextEncoder();

/** `TensorProto` of `tensor`: values as little-endian `raw_data` (float64 stays exact). */
function tensorProto(tensor: TensorValue, name?: string): Record<string, unknown> {
  const count = tensor.dims.reduce((product, dim) => product * dim, 1);
  if (count !== tensor.values.length)
    throw new Error(
      `onnx: tensor ${name ?? ''} has ${tensor.values.length} values, dims say ${count}`,
    );
  let raw: Uint8Array;
  if (tensor.dataType === DataType.DOUBLE) {
    raw = new Uint8Array(Float64Array.from(tensor.values).buffer);
  } else if (tensor.dataType === DataType.FLOAT) {
    raw = new Uint8Array(Float32Array.from(tensor.values).buffer);
  } else if (tensor.dataType === DataType.INT64) {
    raw = new Uint8Array(BigInt64Array.from(Array.from(tensor.values, BigInt)).buffer);
  } else {
    raw = Uint8Array.from(tensor.values, (value) => (value ? 1 : 0));
  }
  return {
    ...(name === undefined ? {} : { name }),
    dims: [...tensor.dims],
    data_type: tensor.dataType,
    raw_data: raw,
  };
}

function attributeProto(name: string, value: AttributeValue): Record<string, unknown> {
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('string' in value) return { name, type: AttributeType.STRING, s: text.encode(value.string) };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  if ('strings' in value)
    return { name, type: AttributeType.STRINGS, strings: value.strings.map((s) => text.encode(s)) };
  return { name, type: AttributeType.TENSOR, t: tensorProto(value.tensor) };
}

/** A graph input or output: a tensor of `dataType` with dims (`'N'` is the batch dimension). */
export interface ValueInfo {
  name: string;
  dataType: DataTypeCode;
  dims: readonly (number | string)[];
  docString?: string;
}

function valueInfoProto(info: ValueInfo): Record<string, unknown> {
  return {
    name: info.name,
    ...(info.docString ? { doc_string: info.docString } : {}),
    type: {
      tensor_type: {
        elem_type: info.dataType,
        shape: {
          dim: info.dims.map((dim) =>
            typeof dim === 'number' ? { dim_value: dim } : { dim_param: dim },
          ),
        },
      },
    },
  };
}

/**
 * Collects the nodes and constants of one graph, naming every intermediate value uniquely
 * (`<op>_<n>`) and every node after its first output, in the order they are added (a valid
 * topological order as long as inputs are added before their users).
 */
export class GraphBuilder {
  readonly #nodes: Record<string, unknown>[] = [];
  readonly #initializers: Record<string, unknown>[] = [];
  readonly #names = new Set<string>();
  #counter = 0;

  /** A fresh value name starting with `stem`. */
  fresh(stem: string): string {
    let name = stem;
    while (this.#names.has(name)) name = `${stem}_${++this.#counter}`;
    this.#names.add(name);
    return name;
  }

  /** Claims `name` for a graph input; throws if it is taken. */
  reserve(name: string): string {
    if (this.#names.has(name)) throw new Error(`onnx: the name ${name} is used twice`);
    this.#names.add(name);
    return name;
  }

  /** Adds a constant and returns its name. */
  constant(stem: string, tensor: TensorValue): string {
    const name = this.fresh(stem);
    this.#initializers.push(tensorProto(tensor, name));
    return name;
  }

  /** A float64 constant of shape `dims` (a vector by default). */
  doubles(stem: string, values: readonly number[], dims: readonly number[] = [values.length]) {
    return this.constant(stem, { dataType: DataType.DOUBLE, dims, values });
  }

  /** An int64 constant of shape `dims` (a vector by default; `[]` for a scalar). */
  int64s(stem: string, values: readonly number[], dims: readonly number[] = [values.length]) {
    return this.constant(stem, { dataType: DataType.INT64, dims, values });
  }

  /**
   * Adds a node; returns the names of its outputs (fresh names from `op`, or the given ones).
   */
  node(
    op: string,
    inputs: readonly string[],
    options: {
      outputs?: readonly string[] | number;
      attributes?: Readonly<Record<string, AttributeValue>>;
      domain?: string;
    } = {},
  ): string[] {
    const wanted = options.outputs ?? 1;
    const outputs =
      typeof wanted === 'number'
        ? Array.from({ length: wanted }, () => this.fresh(op.toLowerCase()))
        : wanted.map((name) => this.reserve(name));
    this.#nodes.push({
      input: [...inputs],
      output: outputs,
      name: `${op}_${this.#nodes.length}`,
      op_type: op,
      ...(options.domain ? { domain: options.domain } : {}),
      attribute: Object.entries(options.attributes ?? {}).map(([name, value]) =>
        attributeProto(name, value),
      ),
    });
    return outputs;
  }

  /** Like {@link GraphBuilder.node} for a node with one output: returns its name. */
  op(
    op: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, AttributeValue>>,
    domain?: string,
  ): string {
    return this.node(op, inputs, {
      ...(attributes ? { attributes } : {}),
      ...(domain ? { domain } : {}),
    })[0]!;
  }

  /** The `GraphProto` with these inputs and outputs. */
  build(
    name: string,
    inputs: readonly ValueInfo[],
    outputs: readonly ValueInfo[],
    docString?: string,
  ): Record<string, unknown> {
    return {
      name,
      ...(docString ? { doc_string: docString } : {}),
      node: this.#nodes,
      initializer: this.#initializers,
      input: inputs.map(valueInfoProto),
      output: outputs.map(valueInfoProto),
    };
  }
}
