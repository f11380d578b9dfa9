/**
 * Just enough of protobuf's wire format and of `onnx.proto` to rewrite a graph's inputs and
 * outputs (what skl2onnx's converters would have declared), for tests. Field numbers from
 * onnx.proto3: ModelProto.graph 7; GraphProto node 1, input 11, output 12, value_info 13;
 * NodeProto input 1, output 2, name 3, op_type 4, attribute 5, domain 7; AttributeProto name 1,
 * i 3, t 5, type 20; TensorProto dims 1, data_type 2, raw_data 9; ValueInfoProto name 1, type 2.
 */

/** ONNX element types (TensorProto.DataType). */
export const ELEM = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;

interface Field {
  no: number;
  wire: number;
  /** The whole field as encoded (key and value). */
  raw: Uint8Array;
  /** A length-delimited field's bytes. */
  payload: Uint8Array;
}

function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    const byte = bytes[at++]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7n;
  }
}

function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const [key, afterKey] = readVarint(bytes, at);
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    at = afterKey;
    let payload: Uint8Array = new Uint8Array();
    if (wire === 0) at = readVarint(bytes, at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [length, afterLength] = readVarint(bytes, at);
      payload = bytes.subarray(afterLength, afterLength + Number(length));
      at = afterLength + Number(length);
    } else throw new Error(`wire type ${wire} is not read`);
    fields.push({ no, wire, raw: bytes.subarray(start, at), payload });
  }
  return fields;
}

function varint(value: number | bigint): number[] {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest === 0n ? byte : byte | 0x80);
  } while (rest !== 0n);
  return out;
}

const concat = (parts: readonly Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

const bytesField = (no: number, payload: Uint8Array) =>
  concat([Uint8Array.from([...varint((no << 3) | 2), ...varint(payload.length)]), payload]);
const stringField = (no: number, text: string) => bytesField(no, new TextEncoder().encode(text));
const intField = (no: number, value: number | bigint) =>
  Uint8Array.from([...varint(no << 3), ...varint(value)]);

/** A tensor's type and shape (`ValueInfoProto`): a string dimension is free (`N`). */
export function valueInfo(
  name: string,
  elem: number,
  dims: readonly (number | string)[],
): Uint8Array {
  const dim = (d: number | string) =>
    bytesField(1, typeof d === 'number' ? intField(1, d) : stringField(2, d));
  const shape = bytesField(2, concat(dims.map(dim)));
  const tensorType = bytesField(1, concat([intField(1, elem), shape]));
  return concat([stringField(1, name), bytesField(2, tensorType)]);
}

/** A constant tensor (`TensorProto`, values as raw little-endian data). */
function tensor(elem: number, dims: readonly number[], values: readonly number[]): Uint8Array {
  const data =
    elem === ELEM.INT64
      ? new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer)
      : elem === ELEM.FLOAT
        ? new Uint8Array(Float32Array.from(values).buffer)
        : new Uint8Array(Float64Array.from(values).buffer);
  return concat([...dims.map((d) => intField(1, d)), intField(2, elem), bytesField(9, data)]);
}

type Attribute = { int: number } | { tensor: { elem: number; dims: number[]; values: number[] } };

function attribute(name: string, value: Attribute): Uint8Array {
  if ('int' in value)
    return concat([stringField(1, name), intField(3, value.int), intField(20, 2)]);
  const { elem, dims, values } = value.tensor;
  return concat([stringField(1, name), bytesField(5, tensor(elem, dims, values)), intField(20, 4)]);
}

/** A node (`NodeProto`) of the default domain. */
export function node(
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: Record<string, Attribute> = {},
): Uint8Array {
  return concat([
    ...inputs.map((input) => stringField(1, input)),
    ...outputs.map((output) => stringField(2, output)),
    stringField(3, `${op}_${outputs[0]}`),
    stringField(4, op),
    ...Object.entries(attributes).map(([name, value]) => bytesField(5, attribute(name, value))),
  ]);
}

/** A node with its inputs renamed. */
function renameInputs(nodeBytes: Uint8Array, rename: Readonly<Record<string, string>>): Uint8Array {
  return concat(
    readFields(nodeBytes).map((field) => {
      if (field.no !== 1) return field.raw;
      const name = new TextDecoder().decode(field.payload);
      return name in rename ? stringField(1, rename[name]!) : field.raw;
    }),
  );
}

/** How {@link rewriteGraph} changes a graph. */
export interface GraphEdit {
  /** Node inputs to rename (the old graph inputs whose names the new ones take). */
  rename?: Readonly<Record<string, string>>;
  /** Nodes run before the graph's own (adapting the new inputs) and after them (the new outputs). */
  before: Uint8Array[];
  after: Uint8Array[];
  /** The graph's inputs and outputs, replacing its own. */
  inputs: Uint8Array[];
  outputs: Uint8Array[];
}

/** An ONNX model with its graph's inputs and outputs replaced (and its value_info dropped). */
export function rewriteGraph(model: Uint8Array, edit: GraphEdit): Uint8Array {
  const rename = edit.rename ?? {};
  return concat(
    readFields(model).map((field) => {
      if (field.no !== 7) return field.raw;
      const kept = readFields(field.payload).flatMap((part) => {
        if (part.no === 11 || part.no === 12 || part.no === 13) return [];
        return [part.no === 1 ? bytesField(1, renameInputs(part.payload, rename)) : part.raw];
      });
      const nodes = (list: Uint8Array[]) => list.map((item) => bytesField(1, item));
      return bytesField(
        7,
        concat([
          ...nodes(edit.before),
          ...kept,
          ...nodes(edit.after),
          ...edit.inputs.map((info) => bytesField(11, info)),
          ...edit.outputs.map((info) => bytesField(12, info)),
        ]),
      );
    }),
  );
}
