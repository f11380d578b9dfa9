import type { OnnxOutput } from '../onnx/onnx-model.js';
import type { Scores } from '../score-patient.js';

/** A JSON number; `null` for what JSON cannot carry (heart never writes a bare NaN). */
const number = (value: number) => (Number.isFinite(value) ? String(value) : 'null');

/** Row `row` of an output: a value for `[N]`, the row's values for `[N, k]` (flattened beyond). */
function rowOf(output: OnnxOutput, row: number, count: number): string {
  const width = output.values.length / count;
  if (width === 1) return number(output.values[row]!);
  const values = output.values.slice(row * width, (row + 1) * width);
  return `[${values.map(number).join(',')}]`;
}

/**
 * The `/invocations` answer, as `mlflow models serve` writes its pyfunc's result:
 * heart's JS model → `{"predictions": [{"prediction", "probability"}, …]}`; an ONNX graph asked
 * with columns (a DataFrame) → one record per row holding every output by name, an `[N, 2]` output
 * as the row's pair (where MLflow fails: "All arrays must be of the same length"); asked with a
 * tensor → `{"predictions": {output: values in the graph's shape}}`.
 *
 * @example
 * predictionsJson({ predictions: [0], probabilities: [0.41] }, false); // '{"predictions":[{"prediction":0,"probability":0.41}]}'
 */
export function predictionsJson(scores: Scores, tensor: boolean): string {
  const { predictions, outputs } = scores;
  const count = predictions.length;
  let out = '';
  if (!outputs) return `{"predictions":[${resultsJson(scores)}]}`;
  if (tensor) {
    const fields = outputs.map((output) => {
      const rows = Array.from({ length: count }, (_, row) => rowOf(output, row, count));
      return `${JSON.stringify(output.name)}:[${rows.join(',')}]`;
    });
    return `{"predictions":{${fields.join(',')}}}`;
  }
  const names = outputs.map((output) => JSON.stringify(output.name));
  for (let i = 0; i < count; i++) {
    const fields = outputs.map((output, j) => `${names[j]}:${rowOf(output, i, count)}`);
    out += `${i === 0 ? '' : ','}{${fields.join(',')}}`;
  }
  return `{"predictions":[${out}]}`;
}

/** `{"prediction":…,"probability":…}` per row, comma-separated (the JSON written directly). */
export function resultsJson({ predictions, probabilities }: Scores): string {
  let out = '';
  for (let i = 0; i < predictions.length; i++) {
    out += `${i === 0 ? '' : ','}{"prediction":${predictions[i]},"probability":${probabilities[i]}}`;
  }
  return out;
}
