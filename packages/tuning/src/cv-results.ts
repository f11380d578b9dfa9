import type { Params } from './estimators.js';

/** One candidate's cross-validation, as the search reports it when its last fold is done. */
export interface CandidateResult {
  /** Its place in the search's candidates (and in {@link CvResults}). */
  index: number;
  params: Params;
  /** Held-out score of each fold, in fold order. */
  foldScores: number[];
  meanScore: number;
  /** Population standard deviation of the fold scores (numpy's `std`). */
  stdScore: number;
  /** Seconds fitting, and scoring the held-out rows, per fold. */
  fitTimes: number[];
  scoreTimes: number[];
  meanFitTime: number;
  meanScoreTime: number;
}

/**
 * scikit-learn's `cv_results_`, one entry per candidate in candidate order (camelCase:
 * `mean_test_score` → `meanTestScore`, `split0_test_score` → `splitTestScores[i][0]`). Times in
 * seconds.
 */
export interface CvResults {
  params: Params[];
  splitTestScores: number[][];
  meanTestScore: number[];
  stdTestScore: number[];
  /** 1 for the best mean score; ties share the smaller rank; NaN means rank last. */
  rankTestScore: number[];
  meanFitTime: number[];
  stdFitTime: number[];
  meanScoreTime: number[];
  stdScoreTime: number[];
}

const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / values.length;
const std = (values: readonly number[]) => {
  const m = mean(values);
  return Math.sqrt(mean(values.map((value) => (value - m) ** 2)));
};

/** A candidate's summary from its folds' outcomes. */
export function candidateResult(
  index: number,
  params: Params,
  outcomes: readonly { score: number; fitTime: number; scoreTime: number }[],
): CandidateResult {
  const foldScores = outcomes.map((outcome) => outcome.score);
  const fitTimes = outcomes.map((outcome) => outcome.fitTime);
  const scoreTimes = outcomes.map((outcome) => outcome.scoreTime);
  return {
    index,
    params,
    foldScores,
    meanScore: mean(foldScores),
    stdScore: std(foldScores),
    fitTimes,
    scoreTimes,
    meanFitTime: mean(fitTimes),
    meanScoreTime: mean(scoreTimes),
  };
}

/** Ranks as scipy's `rankdata(-means, method='min')`, NaN last (scikit-learn 1.2's rule). */
function rank(means: readonly number[]): number[] {
  const present = means.filter((value) => !Number.isNaN(value));
  if (present.length === 0) return means.map(() => 1);
  const floor = Math.min(...present) - 1;
  const filled = means.map((value) => (Number.isNaN(value) ? floor : value));
  return filled.map((value) => 1 + filled.filter((other) => other > value).length);
}

/** `cv_results_` from every candidate's result (in candidate order). */
export function cvResults(candidates: readonly CandidateResult[]): CvResults {
  const meanTestScore = candidates.map((c) => c.meanScore);
  return {
    params: candidates.map((c) => c.params),
    splitTestScores: candidates.map((c) => c.foldScores),
    meanTestScore,
    stdTestScore: candidates.map((c) => c.stdScore),
    rankTestScore: rank(meanTestScore),
    meanFitTime: candidates.map((c) => c.meanFitTime),
    stdFitTime: candidates.map((c) => std(c.fitTimes)),
    meanScoreTime: candidates.map((c) => c.meanScoreTime),
    stdScoreTime: candidates.map((c) => std(c.scoreTimes)),
  };
}
