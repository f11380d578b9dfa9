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

/**
 * Scores one validated patient with the bundle's pipeline (absent nullable fields are imputed),
 * then the threshold; counts the prediction. The only place the API runs the model.
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
