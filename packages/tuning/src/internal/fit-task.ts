import { createClassifier, type EstimatorSpec } from '../estimators.js';
import { type Scoring, score } from '../scoring.js';
import type { FoldData } from './fold-data.js';

/** One candidate on one fold: its held-out score and how long fitting and scoring took (s). */
export interface FitOutcome {
  score: number;
  fitTime: number;
  scoreTime: number;
}

/** Fits a fresh classifier on the fold's training rows and scores its held-out rows. */
export function fitAndScore(spec: EstimatorSpec, fold: FoldData, scoring: Scoring): FitOutcome {
  const started = performance.now();
  const model = createClassifier(spec).fit(fold.train, fold.trainLabels);
  const fitted = performance.now();
  const probabilities = model.predictProba(fold.test);
  const value = score(scoring, Array.from(fold.testLabels), probabilities);
  return {
    score: value,
    fitTime: (fitted - started) / 1000,
    scoreTime: (performance.now() - fitted) / 1000,
  };
}
