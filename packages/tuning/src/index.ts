export { isHeartError } from '@heart/internal';
export { gridCandidates, gridSize, MAX_CANDIDATES, randomCandidates } from './candidates.js';
export type { CandidateResult, CvResults } from './cv-results.js';
export { TuningError, type TuningErrorCode, type TuningErrorOptions } from './errors.js';
export type { EstimatorKind, Params } from './estimators.js';
export {
  type GridSearchOptions,
  gridSearch,
  type RandomSearchOptions,
  randomSearch,
} from './grid-search.js';
export type { Scoring } from './scoring.js';
export type { CvOption, SearchOptions, SearchResult } from './search.js';
export {
  createEstimator,
  type Distribution,
  type ParamDistributions,
  type ParamGrid,
  parseSearchSpace,
  type SearchSpace,
} from './search-space.js';
