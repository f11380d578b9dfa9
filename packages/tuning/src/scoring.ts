import {
  accuracy,
  averagePrecision,
  brierScore,
  f1,
  logLoss,
  precision,
  recall,
  rocAuc,
} from '@heart/metrics';
import { TuningError } from './errors.js';

/**
 * A @heart/metrics score by name, as GridSearchCV's `scoring`: greater is better, so the losses
 * are negated (`negLogLoss`, `negBrierScore`, as scikit-learn's `neg_log_loss`). The threshold
 * metrics use 0.5. scikit-learn's names (`roc_auc`, `neg_log_loss`, …) are accepted too.
 */
export type Scoring =
  | 'rocAuc'
  | 'averagePrecision'
  | 'accuracy'
  | 'f1'
  | 'precision'
  | 'recall'
  | 'negLogLoss'
  | 'negBrierScore';

type Score = (labels: number[], probabilities: Float64Array) => number;

const SCORES: Readonly<Record<Scoring, Score>> = {
  rocAuc: (labels, probabilities) => rocAuc(labels, probabilities),
  averagePrecision: (labels, probabilities) => averagePrecision(labels, probabilities),
  accuracy: (labels, probabilities) => accuracy(labels, probabilities),
  f1: (labels, probabilities) => f1(labels, probabilities),
  precision: (labels, probabilities) => precision(labels, probabilities),
  recall: (labels, probabilities) => recall(labels, probabilities),
  negLogLoss: (labels, probabilities) => -logLoss(labels, probabilities),
  negBrierScore: (labels, probabilities) => -brierScore(labels, probabilities),
};

const SKLEARN_NAMES: Readonly<Record<string, Scoring>> = {
  roc_auc: 'rocAuc',
  average_precision: 'averagePrecision',
  neg_log_loss: 'negLogLoss',
  neg_brier_score: 'negBrierScore',
};

/** The scoring's canonical name; `INVALID_OPTION` for an unknown one. */
export function readScoring(value: unknown): Scoring {
  const name = typeof value === 'string' ? (SKLEARN_NAMES[value] ?? value) : value;
  if (typeof name === 'string' && Object.hasOwn(SCORES, name)) return name as Scoring;
  throw new TuningError({
    code: 'INVALID_OPTION',
    message: `scoring must be one of ${Object.keys(SCORES).join(', ')} (or scikit-learn's roc_auc, neg_log_loss, …), got ${JSON.stringify(value)}`,
  });
}

/** Scores held-out probabilities. */
export function score(scoring: Scoring, labels: number[], probabilities: Float64Array): number {
  return SCORES[scoring](labels, probabilities);
}
