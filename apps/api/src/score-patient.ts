import type { ApiMetrics } from './metrics.js';
import type { ModelBundle } from './model-store.js';

/** One patient as validated against the served pipeline's input schema. */
export type Patient = Record<string, number | null>;

/** What scoring needs besides the model; made once per app. */
export interface Scoring {
  /** Probability ≥ threshold → prediction 1; `undefined`: the pipeline's own threshold. */
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
}

/**
 * Scores one validated patient with the bundle's pipeline (absent nullable fields are imputed),
 * then the threshold; counts the prediction. With {@link scorePatients}, the only place the API
 * runs the model (another kind of model, an ONNX graph say, branches here).
 *
 * @example
 * scorePatient(bundle, { ...EXAMPLE_PATIENT }, { threshold: 0.5, predicted: metrics.predicted });
 * // { prediction: 0, probability: 0.41 }
 */
export function scorePatient(
  bundle: ModelBundle,
  patient: Patient,
  scoring: Scoring,
): { prediction: 0 | 1; probability: number } {
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
  threshold = scoring.threshold ?? bundle.pipeline.threshold,
): Scores {
  const { pipeline } = bundle;
  const count = patients.length;
  const predictions = new Array<0 | 1>(count);
  const probabilities = new Array<number>(count);
  let positive = 0;
  for (let i = 0; i < count; i++) {
    const probability = pipeline.predictProbaRow(patients[i]!);
    probabilities[i] = probability;
    const prediction = probability >= threshold ? 1 : 0;
    predictions[i] = prediction;
    positive += prediction;
  }
  if (positive > 0) scoring.predicted[1].inc(positive);
  if (count > positive) scoring.predicted[0].inc(count - positive);
  return { predictions, probabilities };
}
