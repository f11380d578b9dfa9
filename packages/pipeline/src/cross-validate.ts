import type { InputRecord } from './input-schema.js';
import { assertOptions } from './options.js';
import type { Pipeline } from './pipeline.js';

/** Options for {@link crossValidate}. */
export interface CrossValidateOptions {
  records: readonly InputRecord[];
  labels: ArrayLike<number>;
  /** Row indices of each fold (`stratifiedKFold(…)` of @heart/preprocessing). */
  folds: readonly { trainIndex: readonly number[]; testIndex: readonly number[] }[];
  /** A fresh, unfitted pipeline for each fold. */
  createPipeline: () => Pipeline;
  /** The fold's score from its held-out labels and probabilities (`rocAuc` of @heart/metrics). */
  score: (labels: number[], probabilities: Float64Array) => number;
  /** Called after each fold. */
  onFold?: (done: number, total: number) => void;
}

/**
 * scikit-learn's `cross_val_score` for a pipeline: for each fold a fresh pipeline — preprocessor
 * and classifier — fitted on the fold's training rows only, scored on its held-out rows.
 *
 * @example
 * ```ts
 * const aucs = crossValidate({ records, labels, folds, createPipeline, score: rocAuc });
 * ```
 */
export function crossValidate(options: CrossValidateOptions): number[] {
  assertOptions(options, 'crossValidate', {
    functions: ['createPipeline', 'score'],
    arrays: ['records', 'labels', 'folds'],
  });
  const { records, labels, folds } = options;
  return folds.map((fold, index) => {
    const pipeline = options.createPipeline().fit(
      fold.trainIndex.map((i) => records[i]!),
      fold.trainIndex.map((i) => labels[i]!),
    );
    const score = options.score(
      fold.testIndex.map((i) => labels[i]!),
      pipeline.predictProba(fold.testIndex.map((i) => records[i]!)),
    );
    options.onFold?.(index + 1, folds.length);
    return score;
  });
}
