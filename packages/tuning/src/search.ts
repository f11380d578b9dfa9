import { availableParallelism } from 'node:os';
import { type Classifier, type Features, RandomForest } from '@heart/models';
import type { InputRecord, Pipeline } from '@heart/pipeline';
import { stratifiedKFold, type TrainTestIndices } from '@heart/preprocessing';
import { type CandidateResult, type CvResults, candidateResult, cvResults } from './cv-results.js';
import { TuningError } from './errors.js';
import { createClassifier, type EstimatorSpec, type Params, specOf } from './estimators.js';
import { type FitOutcome, fitAndScore } from './internal/fit-task.js';
import { type FoldData, foldsOfFeatures, foldsOfRecords } from './internal/fold-data.js';
import { completeRecords, isPipeline, rebuildPipeline } from './internal/pipeline-parts.js';
import { runOnWorkers } from './internal/search-pool.js';
import { readScoring, type Scoring } from './scoring.js';

/** How the rows are split: `stratifiedKFold` options, a fold count, or the folds themselves. */
export type CvOption =
  | number
  | { folds?: number; shuffle?: boolean; seed?: number; method?: 'heart' | 'sklearn' }
  | readonly TrainTestIndices[];

/** What every search takes besides its candidates. */
export interface SearchOptions<E extends Classifier | Pipeline = Classifier | Pipeline> {
  /**
   * The template: a `RandomForest` or `LogisticRegression` (its options are the defaults every
   * candidate overrides), or a `Pipeline`, whose classifier is tuned and whose preprocessor is
   * fitted afresh on each fold's training records. Never fitted or changed by the search.
   */
  estimator: E;
  /** For a classifier: rows of numbers or a dense matrix. */
  features?: Features;
  /** For a pipeline: raw records, checked against its input schema. */
  records?: readonly InputRecord[];
  /** 0/1, one per row. */
  labels: ArrayLike<number>;
  /** Default `{ folds: 5 }`: `stratifiedKFold` with its defaults (shuffled, seed 42). */
  cv?: CvOption;
  /** Default `'rocAuc'`. */
  scoring?: Scoring | 'roc_auc' | 'average_precision' | 'neg_log_loss' | 'neg_brier_score';
  /**
   * Worker threads fitting candidates (−1: every core). The results are the same for any value,
   * fit times aside. Default `1` (this thread).
   */
  nJobs?: number;
  /** Fit the best candidate on every row at the end (`bestEstimator`). Default `true`. */
  refit?: boolean;
  /** A fold whose fit throws: `'raise'` (default, `FIT_FAILED`) or the score to record for it. */
  errorScore?: 'raise' | number;
  /**
   * Called (and awaited, one at a time) in candidate order, as each candidate's last fold and
   * those of every candidate before it are done: the same calls whatever `nJobs` is.
   */
  onCandidate?: (candidate: CandidateResult) => void | Promise<void>;
  /** Called as each (candidate, fold) fit is done. */
  onProgress?: (fitsDone: number, fitsTotal: number) => void;
}

/** What a search found. */
export interface SearchResult<E extends Classifier | Pipeline = Classifier | Pipeline> {
  cvResults: CvResults;
  /** The candidate ranked first (the first of a tie). */
  bestIndex: number;
  bestParams: Params;
  bestScore: number;
  /** A copy of the template with `bestParams`, fitted on every row (without `refit: false`). */
  bestEstimator: E | undefined;
  /** Seconds the refit took (0 without refit). */
  refitTime: number;
  scoring: Scoring;
  /** The folds used, for a report or a second search on the same splits. */
  folds: TrainTestIndices[];
}

function readThreads(nJobs: unknown): number {
  if (nJobs === undefined) return 1;
  if (typeof nJobs !== 'number' || !Number.isInteger(nJobs) || nJobs === 0) {
    throw new TuningError({
      code: 'INVALID_OPTION',
      message: `nJobs must be a non-zero integer (−1: every core), got ${String(nJobs)}`,
    });
  }
  return nJobs > 0 ? nJobs : Math.max(1, availableParallelism() + 1 + nJobs);
}

function readFolds(cv: CvOption | undefined, labels: ArrayLike<number>, rows: number) {
  if (Array.isArray(cv)) {
    const folds = cv as readonly TrainTestIndices[];
    const valid = (index: unknown) =>
      Array.isArray(index) &&
      index.length > 0 &&
      index.every((i) => Number.isInteger(i) && i >= 0 && i < rows);
    if (
      folds.length < 2 ||
      !folds.every((fold) => valid(fold.trainIndex) && valid(fold.testIndex))
    ) {
      throw new TuningError({
        code: 'INVALID_OPTION',
        message: `cv: expected at least 2 folds of non-empty trainIndex/testIndex arrays of row indices below ${rows}`,
      });
    }
    return folds.map((fold) => ({
      trainIndex: [...fold.trainIndex],
      testIndex: [...fold.testIndex],
    }));
  }
  const options = typeof cv === 'number' ? { folds: cv } : { folds: 5, ...(cv ?? {}) };
  return stratifiedKFold({ labels, ...options });
}

/** The template's classifier, its spec, and each fold's data; checks the data at the door. */
function prepare(options: SearchOptions, folds: TrainTestIndices[], shared: boolean) {
  const { estimator, labels } = options;
  if (isPipeline(estimator)) {
    if (!options.records)
      throw new TuningError({ code: 'INVALID_INPUT', message: 'a pipeline search needs records' });
    const records = completeRecords(estimator, options.records);
    return {
      spec: specOf(estimator.classifier),
      records,
      data: foldsOfRecords(estimator, records, labels, folds, shared),
    };
  }
  if (!options.features)
    throw new TuningError({ code: 'INVALID_INPUT', message: 'a classifier search needs features' });
  return {
    spec: specOf(estimator as Classifier),
    records: undefined,
    data: foldsOfFeatures(options.features, labels, folds, shared),
  };
}

function rowCount(options: SearchOptions): number {
  const data = options.records ?? options.features;
  if (data && 'data' in data) return (data as { rows: number }).rows;
  return Array.isArray(data) ? data.length : 0;
}

/** Every candidate's spec: the template's options with the candidate's; each one checked. */
function candidateSpecs(template: EstimatorSpec, candidates: readonly Params[]): EstimatorSpec[] {
  return candidates.map((params, index) => {
    const spec = { kind: template.kind, options: { ...template.options, ...params } };
    try {
      createClassifier(spec);
    } catch (error) {
      throw new TuningError({
        code: 'INVALID_SPACE',
        path: `candidates[${index}]`,
        message: `candidate ${index} ${JSON.stringify(params)}: ${(error as Error).message}`,
        cause: error,
      });
    }
    return spec;
  });
}

/** Runs every (candidate, fold) fit, here or on workers; resolves with the candidates' results. */
async function crossValidateAll(
  options: SearchOptions,
  candidates: readonly Params[],
  specs: readonly EstimatorSpec[],
  run: { data: FoldData[]; scoring: Scoring; threads: number },
): Promise<CandidateResult[]> {
  const k = run.data.length;
  const total = candidates.length * k;
  const outcomes = candidates.map(() => new Array<FitOutcome | undefined>(k));
  const left = candidates.map(() => k);
  const results = new Array<CandidateResult>(candidates.length);
  let done = 0;
  let callbacks = Promise.resolve();
  // onCandidate hears candidates in candidate order (each once it and every one before it are
  // done), so its calls are the same whichever worker finishes first.
  let reported = 0;
  // errorScore 'raise': the failure raised is the first in task order (the one nJobs 1 meets),
  // once every task before it is in, whichever worker's failure came in first. Tasks before it
  // are recorded (progress, candidates) as on one thread; tasks after it are not.
  const raise = options.errorScore === undefined || options.errorScore === 'raise';
  const settled = new Uint8Array(total);
  let settledPrefix = 0;
  let firstFailure: { index: number; message: string } | undefined;
  const store = (index: number, outcome: FitOutcome | { message: string }) => {
    const candidate = Math.floor(index / k);
    const fold = index % k;
    if ('message' in outcome) {
      outcomes[candidate]![fold] = {
        score: options.errorScore as number,
        fitTime: 0,
        scoreTime: 0,
      };
    } else outcomes[candidate]![fold] = outcome;
    options.onProgress?.(++done, total);
    if (--left[candidate]! > 0) return;
    const result = candidateResult(
      candidate,
      candidates[candidate]!,
      outcomes[candidate] as FitOutcome[],
    );
    results[candidate] = result;
    for (; reported < results.length && results[reported]; reported++) {
      const next = results[reported]!;
      if (options.onCandidate) callbacks = callbacks.then(() => options.onCandidate!(next));
    }
  };
  const record = (index: number, outcome: FitOutcome | { message: string }) => {
    if (!raise) return store(index, outcome);
    if ('message' in outcome) {
      if (!firstFailure || index < firstFailure.index)
        firstFailure = { index, message: outcome.message };
    } else if (!firstFailure || index < firstFailure.index) store(index, outcome);
    settled[index] = 1;
    while (settledPrefix < total && settled[settledPrefix]) settledPrefix++;
    if (!firstFailure || settledPrefix <= firstFailure.index) return;
    const failed = Math.floor(firstFailure.index / k);
    throw new TuningError({
      code: 'FIT_FAILED',
      message: `candidate ${failed} ${JSON.stringify(candidates[failed])}, fold ${firstFailure.index % k}: ${firstFailure.message}`,
    });
  };
  const task = (index: number) => ({ spec: specs[Math.floor(index / k)]!, fold: index % k });
  if (run.threads <= 1) {
    for (let index = 0; index < total; index++) {
      const { spec, fold } = task(index);
      let outcome: FitOutcome | { message: string };
      try {
        outcome = fitAndScore(spec, run.data[fold]!, run.scoring);
      } catch (error) {
        outcome = { message: (error as Error).message };
      }
      record(index, outcome);
    }
  } else {
    await runOnWorkers({
      threads: run.threads,
      folds: run.data,
      scoring: run.scoring,
      task,
      tasks: total,
      onReply: (reply) => record(reply.index, reply.type === 'done' ? reply.outcome : reply),
    });
  }
  await callbacks;
  return results;
}

/**
 * The search both `gridSearch` and `randomSearch` run: every candidate cross-validated on the
 * same folds (on `nJobs` threads), `cv_results_`, the best, and its refit.
 */
export async function runSearch<E extends Classifier | Pipeline>(
  options: SearchOptions<E>,
  candidates: readonly Params[],
): Promise<SearchResult<E>> {
  if (candidates.length === 0)
    throw new TuningError({ code: 'INVALID_SPACE', message: 'the search has no candidates' });
  const scoring = readScoring(options.scoring ?? 'rocAuc');
  const threads = readThreads(options.nJobs);
  const folds = readFolds(options.cv, options.labels, rowCount(options));
  const prepared = prepare(options, folds, threads > 1);
  const specs = candidateSpecs(prepared.spec, candidates);
  const results = await crossValidateAll(options, candidates, specs, {
    data: prepared.data,
    scoring,
    threads,
  });
  const table = cvResults(results);
  const bestIndex = table.rankTestScore.indexOf(1);
  let bestEstimator: E | undefined;
  const started = performance.now();
  if (options.refit ?? true)
    bestEstimator = refit(options, specs[bestIndex]!, threads, prepared.records);
  return {
    cvResults: table,
    bestIndex,
    bestParams: { ...candidates[bestIndex]! },
    bestScore: table.meanTestScore[bestIndex]!,
    bestEstimator,
    refitTime: bestEstimator ? (performance.now() - started) / 1000 : 0,
    scoring,
    folds,
  };
}

/** A copy of the template with the best candidate's options, fitted on every row. */
function refit<E extends Classifier | Pipeline>(
  options: SearchOptions<E>,
  spec: EstimatorSpec,
  threads: number,
  records: readonly InputRecord[] | undefined,
): E {
  const classifier = createClassifier(spec);
  const template = isPipeline(options.estimator) ? options.estimator.classifier : options.estimator;
  const keep = template instanceof RandomForest ? template.nJobs : 1;
  if (classifier instanceof RandomForest) classifier.nJobs = threads;
  let fitted: E;
  if (isPipeline(options.estimator)) {
    fitted = rebuildPipeline(options.estimator, classifier).fit(records!, options.labels) as E;
  } else fitted = classifier.fit(options.features!, options.labels) as unknown as E;
  if (classifier instanceof RandomForest) classifier.nJobs = keep;
  return fitted;
}
