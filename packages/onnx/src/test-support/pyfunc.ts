import * as ort from 'onnxruntime-node';

/** A pandas column: its dtype is the typed array's. */
type FrameColumn = Float64Array | Float32Array | BigInt64Array;

/** A pandas DataFrame, column by column, in column order. */
export type Frame = Record<string, FrameColumn>;

/** A column of an MLflow column signature. */
export interface SignatureColumn {
  name: string;
  type: 'double' | 'float' | 'long';
  required?: boolean;
}

/** What `predict(DataFrame)` returned: a DataFrame of the graph's outputs. */
export interface PredictedFrame {
  columns: string[];
  dtypes: Record<string, string>;
  values: Record<string, number[]>;
}

const dtype = (column: FrameColumn) =>
  column instanceof Float64Array ? 'float64' : column instanceof Float32Array ? 'float32' : 'int64';

/**
 * MLflow 2.17's schema enforcement of a DataFrame against a column signature, as far as these
 * tests need it (`_enforce_schema`, SPEC §10.2): missing required columns refused, extra columns
 * dropped, columns put in signature order; `double` takes float64 and (upcast) float32, `float`
 * takes float32 only, int64 is refused in-process by both.
 */
function enforceSchema(frame: Frame, signature: readonly SignatureColumn[]): Frame {
  const absent = signature.filter((column) => !(column.name in frame)).map((c) => `'${c.name}'`);
  if (absent.length > 0)
    throw new Error(
      `MlflowException: Failed to enforce schema. Error: Model is missing inputs [${absent.join(', ')}].`,
    );
  const enforced: Frame = {};
  for (const column of signature) {
    const values = frame[column.name]!;
    const type = dtype(values);
    const refuse = () => {
      throw new Error(
        `MlflowException: Incompatible input types for column ${column.name}. Can not safely convert ${type} to ${column.type === 'double' ? 'float64' : 'float32'}.`,
      );
    };
    if (column.type === 'double') {
      if (type === 'int64') refuse();
      enforced[column.name] = values instanceof Float32Array ? Float64Array.from(values) : values;
    } else if (column.type === 'float') {
      if (type !== 'float32') refuse();
      enforced[column.name] = values;
    } else enforced[column.name] = values;
  }
  return enforced;
}

const onnxType = { float64: 'float64', float32: 'float32', int64: 'int64' } as const;

function tensor(values: FrameColumn, dims: number[]): ort.Tensor {
  return new ort.Tensor(onnxType[dtype(values)], values, dims);
}

/** `df.values`: the columns side by side, in the common dtype (float64 unless all float32). */
function frameValues(frame: Frame): ort.Tensor {
  const columns = Object.values(frame);
  const rows = columns[0]?.length ?? 0;
  const allFloat32 = columns.every((column) => column instanceof Float32Array);
  const allInt64 = columns.every((column) => column instanceof BigInt64Array);
  const matrix = allInt64
    ? new BigInt64Array(rows * columns.length)
    : allFloat32
      ? new Float32Array(rows * columns.length)
      : new Float64Array(rows * columns.length);
  columns.forEach((column, j) => {
    for (let i = 0; i < rows; i++) {
      const at = i * columns.length + j;
      if (matrix instanceof BigInt64Array) matrix[at] = (column as BigInt64Array)[i]!;
      else matrix[at] = Number(column[i]);
    }
  });
  return tensor(matrix, [rows, columns.length]);
}

/** float64 → float32 for `tensor(float)` inputs only (`_cast_float64_to_float32`). */
function castFeeds(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>) {
  for (const input of session.inputMetadata) {
    const feed = feeds[input.name];
    if (input.isTensor && input.type === 'float32' && feed?.type === 'float64')
      feeds[input.name] = new ort.Tensor(
        'float32',
        Float32Array.from(feed.data as Float64Array),
        feed.dims,
      );
  }
  return feeds;
}

/**
 * `_OnnxModelWrapper.predict(DataFrame)` of MLflow 2.17 (`mlflow/onnx/__init__.py`): one graph
 * input → `{input: df.values}`; several → `{name: df[name].values}` (1-D each); float64 cast to
 * float32 where the graph wants `tensor(float)`; every output run, then
 * `pd.DataFrame.from_dict({name: np.asarray(out).reshape(-1)})` — which needs every output to
 * hold one value per row.
 */
export async function wrapperPredict(
  session: ort.InferenceSession,
  frame: Frame,
): Promise<PredictedFrame> {
  const names = session.inputNames;
  const rows = Object.values(frame)[0]?.length ?? 0;
  const feeds: Record<string, ort.Tensor> = {};
  if (names.length > 1) {
    for (const name of names) {
      const column = frame[name];
      if (!column) throw new Error(`KeyError: '${name}'`);
      feeds[name] = tensor(column, [rows]);
    }
  } else feeds[names[0]!] = frameValues(frame);
  const outputs = await session.run(castFeeds(session, feeds));
  const values: Record<string, number[]> = {};
  const dtypes: Record<string, string> = {};
  for (const name of session.outputNames) {
    const out = outputs[name]!;
    values[name] = Array.from(out.data as ArrayLike<number | bigint>, Number);
    dtypes[name] = out.type;
  }
  const lengths = new Set(Object.values(values).map((column) => column.length));
  if (lengths.size > 1) throw new Error('ValueError: All arrays must be of the same length');
  return { columns: [...session.outputNames], dtypes, values };
}

/** `mlflow.pyfunc.load_model(…).predict(DataFrame)`: the signature enforced, then the wrapper. */
export function pyfuncPredict(
  session: ort.InferenceSession,
  frame: Frame,
  signature: readonly SignatureColumn[] | undefined,
): Promise<PredictedFrame> {
  return wrapperPredict(session, signature ? enforceSchema(frame, signature) : frame);
}
