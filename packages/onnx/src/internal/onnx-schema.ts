import protobuf from 'protobufjs/light.js';

/** `TensorProto.DataType` values used here (onnx.proto3). */
export const DataType = { FLOAT: 1, BOOL: 9, INT64: 7, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** `AttributeProto.AttributeType` values used here. */
export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

const field = (type: string, id: number, rule?: 'repeated') =>
  rule ? { type, id, rule } : { type, id };

/**
 * The subset of `onnx.proto3` a heart graph needs (same field numbers and names as the ONNX
 * repository's `onnx/onnx.proto3`), as a protobufjs JSON descriptor: no code generation, no
 * `.proto` parser at run time. Repeated numbers are packed, which every ONNX reader accepts.
 */
const DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: field('int64', 1),
            opset_import: field('OperatorSetIdProto', 8, 'repeated'),
            producer_name: field('string', 2),
            producer_version: field('string', 3),
            domain: field('string', 4),
            model_version: field('int64', 5),
            doc_string: field('string', 6),
            graph: field('GraphProto', 7),
            metadata_props: field('StringStringEntryProto', 14, 'repeated'),
          },
        },
        StringStringEntryProto: {
          fields: { key: field('string', 1), value: field('string', 2) },
        },
        OperatorSetIdProto: {
          fields: { domain: field('string', 1), version: field('int64', 2) },
        },
        GraphProto: {
          fields: {
            node: field('NodeProto', 1, 'repeated'),
            name: field('string', 2),
            initializer: field('TensorProto', 5, 'repeated'),
            doc_string: field('string', 10),
            input: field('ValueInfoProto', 11, 'repeated'),
            output: field('ValueInfoProto', 12, 'repeated'),
            value_info: field('ValueInfoProto', 13, 'repeated'),
          },
        },
        NodeProto: {
          fields: {
            input: field('string', 1, 'repeated'),
            output: field('string', 2, 'repeated'),
            name: field('string', 3),
            op_type: field('string', 4),
            domain: field('string', 7),
            attribute: field('AttributeProto', 5, 'repeated'),
            doc_string: field('string', 6),
          },
        },
        AttributeProto: {
          fields: {
            name: field('string', 1),
            doc_string: field('string', 13),
            type: field('int32', 20),
            f: field('float', 2),
            i: field('int64', 3),
            s: field('bytes', 4),
            t: field('TensorProto', 5),
            floats: field('float', 7, 'repeated'),
            ints: field('int64', 8, 'repeated'),
            strings: field('bytes', 9, 'repeated'),
          },
        },
        TensorProto: {
          fields: {
            dims: field('int64', 1, 'repeated'),
            data_type: field('int32', 2),
            float_data: field('float', 4, 'repeated'),
            int64_data: field('int64', 7, 'repeated'),
            name: field('string', 8),
            doc_string: field('string', 12),
            raw_data: field('bytes', 9),
            double_data: field('double', 10, 'repeated'),
          },
        },
        ValueInfoProto: {
          fields: {
            name: field('string', 1),
            type: field('TypeProto', 2),
            doc_string: field('string', 3),
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: { tensor_type: field('Tensor', 1), denotation: field('string', 6) },
          nested: {
            Tensor: {
              fields: { elem_type: field('int32', 1), shape: field('TensorShapeProto', 2) },
            },
          },
        },
        TensorShapeProto: {
          fields: { dim: field('Dimension', 1, 'repeated') },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: {
                dim_value: field('int64', 1),
                dim_param: field('string', 2),
                denotation: field('string', 3),
              },
            },
          },
        },
      },
    },
  },
};

let modelType: protobuf.Type | undefined;

function model(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(DESCRIPTOR).lookupType('onnx.ModelProto');
  return modelType;
}

/** Encodes a `ModelProto` given as a plain object with the proto's field names. */
export function encodeModel(value: Record<string, unknown>): Uint8Array {
  const type = model();
  const problem = type.verify(value);
  if (problem) throw new Error(`onnx: the model does not fit ModelProto (${problem})`);
  return type.encode(type.fromObject(value)).finish();
}

/** Decodes `model.onnx` bytes into a plain object (int64 as numbers, bytes as Uint8Array). */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const type = model();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false }) as Record<
    string,
    unknown
  >;
}
