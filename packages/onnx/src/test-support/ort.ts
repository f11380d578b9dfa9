import type { InputRecord, InputSchema } from '@heart/pipeline';
import * as ort from 'onnxruntime-node';

/** An onnxruntime session on `model.onnx` bytes: one thread, as the JS predictor has. */
export function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
}

/** The fields of `records` as float64 columns, `NaN` for `null` or absent. */
export function columns(schema: InputSchema, records: readonly InputRecord[]) {
  return Object.fromEntries(
    schema.map((column) => [
      column.name,
      Float64Array.from(records, (record) => {
        const value = (record as Record<string, number | null | undefined>)[column.name];
        return typeof value === 'number' ? value : Number.NaN;
      }),
    ]),
  );
}

/** Feeds for a graph with one float64 `[N]` input per field. */
export function columnFeeds(schema: InputSchema, records: readonly InputRecord[]) {
  return Object.fromEntries(
    Object.entries(columns(schema, records)).map(([name, values]) => [
      name,
      new ort.Tensor('float64', values, [records.length]),
    ]),
  );
}

/** Feeds for a graph with one float64 `[N, fields]` input. */
export function tensorFeeds(schema: InputSchema, records: readonly InputRecord[], name = 'input') {
  const byColumn = Object.values(columns(schema, records));
  const matrix = new Float64Array(records.length * schema.length);
  for (let i = 0; i < records.length; i++)
    for (let j = 0; j < schema.length; j++) matrix[i * schema.length + j] = byColumn[j]![i]!;
  return { [name]: new ort.Tensor('float64', matrix, [records.length, schema.length]) };
}

/** Runs the graph; its two outputs as plain arrays. */
export async function predict(
  model: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
): Promise<{ prediction: number[]; probability: Float64Array }> {
  const out = await model.run(feeds);
  return {
    prediction: Array.from(out.prediction!.data as BigInt64Array, Number),
    probability: out.probability!.data as Float64Array,
  };
}
