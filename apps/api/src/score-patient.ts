import { byName, type Columns, recordsOf } from './columns.js';
import type { ApiMetrics } from './metrics.js';
import { type ModelBundle, modelThreshold, type OnnxBundle } from './model-bundle.js';
import type { OnnxOutput } from './onnx/onnx-model.js';
import type { Validators } from './validators.js';

/**
 * One patient (one row) as validated against the served model's input schema: field → number
 * (`null` where nullable); for an ONNX model with a tensor signature, the tensor's name → the row.
 */
export type Patient = Record<string, number | null | readonly number[]>;

/**
 * From this many rows on, a request's patients are scored column by column
 * (`Pipeline.predictProbaRecords`, the same bits); below it, one array per column costs more than
 * it saves. 8 is a judgement, not a measured crossover; the batch benchmark's gain is in the
 * README (100 rows: 123k → 138k rows/s).
 */
const COLUMN_BATCH = 8;

/** What scoring needs besides the model; made once per app. */
export interface Scoring {
  /** Probability ≥ threshold → prediction 1; `undefined`: the model's own (heart's threshold, an ONNX graph's label). */
  threshold: number | undefined;
  /** `heart_predictions_total` by class, `[class 0, class 1]`. */
  predicted: ApiMetrics['predicted'];
}

/** The answers for several patients, in their order (plain arrays: a typed array costs more to make than one row costs to score). */
export interface Scores {
  /** 0 or 1 per patient. */
  predictions: (0 | 1)[];
  /** P(class 1) per patient. */
  probabilities: number[];
  /** An ONNX graph's outputs (what `/invocations` answers with), its label replaced by `predictions` when a threshold decided. */
  outputs?: OnnxOutput[];
}

/** One patient's answer. */
export interface Score {
  prediction: 0 | 1;
  probability: number;
}

/**
 * Scores one validated patient with the bundle's pipeline (absent nullable fields are imputed),
 * then the threshold; counts the prediction. With {@link scorePatients}, the only place the API
 * runs the model: heart's JS pipeline synchronously (the hot path), an ONNX graph through
 * onnxruntime asynchronously (the one branch).
 *
 * @example
 * scorePatient(bundle, { ...EXAMPLE_PATIENT }, { threshold: 0.5, predicted: metrics.predicted });
 * // { prediction: 0, probability: 0.41 }
 */
export function scorePatient(
  bundle: ModelBundle,
  patient: Patient,
  scoring: Scoring,
): Score | Promise<Score> {
  if (bundle.runtime === 'onnx') {
    return scoreOnnx(bundle, [patient], scoring, scoring.threshold).then((scores) => ({
      prediction: scores.predictions[0]!,
      probability: scores.probabilities[0]!,
    }));
  }
  const probability = bundle.pipeline.predictProbaRow(patient);
  const prediction = probability >= (scoring.threshold ?? bundle.pipeline.threshold) ? 1 : 0;
  scoring.predicted[prediction].inc();
  return { prediction, probability };
}

/**
 * Scores validated patients (every route with several rows: `/predict/batch`, `/invocations`, OIP
 * `infer`), with `threshold` when the request gave one; counts the predictions once per class.
 *
 * @example
 * scorePatients(bundle, [patient, other], scoring); // { predictions: [0, 1], probabilities: [0.12, 0.87] }
 */
export function scorePatients(
  bundle: ModelBundle,
  patients: readonly Patient[],
  scoring: Scoring,
  threshold = scoring.threshold,
): Scores | Promise<Scores> {
  if (bundle.runtime === 'onnx') return scoreOnnx(bundle, patients, scoring, threshold);
  const { pipeline } = bundle;
  const count = patients.length;
  // A batch goes column by column (a fraction of the allocations, the same numbers bit for bit).
  const batch =
    count >= COLUMN_BATCH
      ? pipeline.predictProbaRecords(patients as readonly Record<string, number | null>[])
      : undefined;
  return counted(count, threshold ?? pipeline.threshold, scoring, (i) =>
    batch ? batch[i]! : pipeline.predictProbaRow(patients[i]!),
  );
}

/** The predictions of `count` probabilities at threshold `cut`, counted once per class. */
function counted(
  count: number,
  cut: number,
  scoring: Scoring,
  probabilityOf: (row: number) => number,
): Scores {
  const predictions = new Array<0 | 1>(count);
  const probabilities = new Array<number>(count);
  let positive = 0;
  for (let i = 0; i < count; i++) {
    const probability = probabilityOf(i);
    probabilities[i] = probability;
    const prediction = probability >= cut ? 1 : 0;
    predictions[i] = prediction;
    positive += prediction;
  }
  countPredictions(scoring, count, positive);
  return { predictions, probabilities };
}

/**
 * Scores validated rows read straight from a body ({@link Columns}): a heart pipeline's batch of
 * {@link COLUMN_BATCH} rows or more by column (`Pipeline.predictProbaColumns`, no record per row),
 * anything else as records through {@link scorePatients} — the same numbers either way, bit for
 * bit.
 *
 * @example
 * scoreRows(bundle, rows, validators, scoring); // { predictions: [0, …], probabilities: [0.41, …] }
 */
export function scoreRows(
  bundle: ModelBundle,
  rows: Columns,
  validators: Validators,
  scoring: Scoring,
): Scores | Promise<Scores> {
  if (bundle.runtime === 'onnx' || rows.count < COLUMN_BATCH)
    return scorePatients(bundle, recordsOf(rows, validators), scoring);
  const { pipeline } = bundle;
  const scored = pipeline.predictProbaColumns(byName(rows, validators.names));
  return counted(
    scored.length,
    scoring.threshold ?? pipeline.threshold,
    scoring,
    (i) => scored[i]!,
  );
}

function countPredictions(scoring: Scoring, count: number, positive: number): void {
  if (positive > 0) scoring.predicted[1].inc(positive);
  if (count > positive) scoring.predicted[0].inc(count - positive);
}

/**
 * The ONNX branch: the graph's P(positive class); the prediction is `probability ≥ threshold`
 * when a threshold is given (the request's, `PREDICTION_THRESHOLD`, heart's pipeline's), else the
 * graph's own label (else ≥ 0.5). The label output is rewritten to match what is answered.
 */
async function scoreOnnx(
  bundle: OnnxBundle,
  patients: readonly Patient[],
  scoring: Scoring,
  threshold: number | undefined,
): Promise<Scores> {
  const result = await bundle.onnx.run(patients);
  const cut = threshold ?? modelThreshold(bundle);
  const { probabilities, labels } = result;
  const count = probabilities.length;
  // No threshold anywhere: the graph's own label decides (else P ≥ 0.5).
  const byLabel = cut === undefined && labels !== undefined;
  const predictions: (0 | 1)[] =
    byLabel && labels
      ? labels.map((label) => (label !== 0 ? 1 : 0))
      : probabilities.map((probability) => (probability >= (cut ?? 0.5) ? 1 : 0));
  let positive = 0;
  for (const prediction of predictions) positive += prediction;
  countPredictions(scoring, count, positive);
  const label = bundle.onnx.output.label;
  const outputs =
    label === undefined || byLabel
      ? result.outputs
      : result.outputs.map((output) =>
          output.name === label ? { ...output, values: predictions } : output,
        );
  return { predictions, probabilities, outputs };
}
