import type { Classifier } from '@heart/models';
import type { Pipeline } from '@heart/pipeline';
import { gridCandidates, randomCandidates } from './candidates.js';
import { runSearch, type SearchOptions, type SearchResult } from './search.js';
import { assertSearchOptions } from './search-options.js';
import type { ParamDistributions, ParamGrid } from './search-space.js';

/** Options for {@link gridSearch}. */
export interface GridSearchOptions<E extends Classifier | Pipeline> extends SearchOptions<E> {
  /** Values per option; every combination is a candidate (scikit-learn's `ParameterGrid` order). */
  grid: ParamGrid;
}

/** Options for {@link randomSearch}. */
export interface RandomSearchOptions<E extends Classifier | Pipeline> extends SearchOptions<E> {
  /** Per option, a distribution (`{ type: 'loguniform', low, high }`, …) or a list of values. */
  distributions: ParamDistributions;
  /** Candidates to draw (scikit-learn's `n_iter`). */
  trials: number;
  /** Seed of the draws. Default `42`. */
  seed?: number;
}

/**
 * scikit-learn's `GridSearchCV`: every combination of `grid` cross-validated on the same
 * stratified folds, on `nJobs` worker threads, scored by a @heart/metrics score; `cvResults` as
 * `cv_results_`, the best candidate, and (by default) the template refitted with it on every row.
 * The same inputs give the same scores and ranks whatever `nJobs` is.
 *
 * @example
 * ```ts
 * const search = await gridSearch({
 *   estimator: new RandomForest({ seed: 42 }),
 *   grid: { nEstimators: [50, 100], maxDepth: [null, 5] },
 *   features,
 *   labels,
 *   cv: { folds: 5, seed: 42, method: 'sklearn' },
 *   nJobs: 2,
 * });
 * search.bestParams; // { maxDepth: 5, nEstimators: 100 }
 * search.bestEstimator?.predictProba(testFeatures);
 * ```
 */
export async function gridSearch<E extends Classifier | Pipeline>(
  options: GridSearchOptions<E>,
): Promise<SearchResult<E>> {
  assertSearchOptions(options, 'gridSearch', 'grid');
  return runSearch(options, gridCandidates(options.grid));
}

/**
 * scikit-learn's `RandomizedSearchCV`: `trials` candidates drawn from `distributions` with a
 * seeded generator (distinct grid points when every option is a list), then as
 * {@link gridSearch}.
 *
 * @example
 * ```ts
 * const search = await randomSearch({
 *   estimator: new LogisticRegression(),
 *   distributions: { C: { type: 'loguniform', low: 0.001, high: 100 } },
 *   trials: 20,
 *   features,
 *   labels,
 * });
 * ```
 */
export async function randomSearch<E extends Classifier | Pipeline>(
  options: RandomSearchOptions<E>,
): Promise<SearchResult<E>> {
  assertSearchOptions(options, 'randomSearch', 'distributions');
  return runSearch(
    options,
    randomCandidates(options.distributions, options.trials, options.seed ?? 42),
  );
}
