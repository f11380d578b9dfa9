import type { ActiveRun, TrackingClient } from '@heart/mlflow';
import type { ParamValue } from '@heart/models';
import { Pipeline } from '@heart/pipeline';
import { createHeartPreprocessor, stratifiedKFold } from '@heart/preprocessing';
import {
  type CvResults,
  gridSearch,
  type Params,
  randomSearch,
  type SearchResult,
  type SearchSpace,
} from '@heart/tuning';
import type { TrainingData } from './data-stage.js';
import type { OpenRuns } from './interrupt.js';
import { runParams } from './log-run.js';
import { MODEL_KINDS } from './model-kinds.js';
import type { ModelKind, TrainOptions } from './options.js';
import type { Reporter } from './reporter.js';

/** What a search found, for the parent run and the model trained with it. */
export interface SearchOutcome {
  method: 'grid' | 'random';
  /** The options the parent's model is trained with: the space's fixed ones and the best candidate's. */
  params: Params;
  /** The best candidate's own options (`best_params_`). */
  bestParams: Params;
  bestIndex: number;
  /** The best candidate's ROC AUC per fold: the parent model's CV (the same folds). */
  bestFoldScores: number[];
  /** The best candidate's mean CV ROC AUC (`best_cv_score`). */
  bestScore: number;
  candidates: number;
  /** The child runs, in candidate order. */
  childRunIds: string[];
  /** `cv_results_` as the CSV `mlflow.sklearn.autolog` logs (`cv_results.csv`). */
  cvResultsCsv: string;
}

/** What the search of one model needs from the training session. */
interface SearchContext {
  options: TrainOptions;
  data: TrainingData;
  reporter: Reporter;
  client: TrackingClient;
  experimentId: string;
  trainingId: string;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Default random-search candidates, when neither `--trials` nor the space says. */
const DEFAULT_TRIALS = 10;

/**
 * `--search`: every candidate of `space` cross-validated on the training rows — the same folds the
 * model's own CV uses — on worker threads, then one child run per candidate under `parent`
 * (`mlflow.parentRunId`; its params, and `mean_test_score`, `std_test_score`, `rank_test_score`
 * and the fit and score times as `mlflow.sklearn.autolog` logs a `GridSearchCV`), each in three
 * requests: create (with its tags), one batch, end.
 */
export async function searchModel(
  kind: ModelKind,
  space: SearchSpace,
  parent: ActiveRun,
  context: SearchContext,
  open: OpenRuns,
): Promise<SearchOutcome> {
  const { options, reporter } = context;
  const method = options.search!.method;
  const { runName } = MODEL_KINDS[kind];
  const started = performance.now();
  const label = `${runName}: ${method} search`;
  const result = await runSearchOf(kind, space, context, (done, total) =>
    reporter.progress(label, done, total),
  );
  const count = result.cvResults.params.length;
  const childRunIds: string[] = [];
  for (let index = 0; index < count; index++)
    childRunIds.push(await logChild(kind, space, result.cvResults, index, parent, context, open));
  const best = result.bestParams;
  reporter.stage(
    label,
    seconds(started),
    `${count} candidates × ${result.folds.length} folds, best ${describeParams(best)} (CV ROC AUC ${result.bestScore.toFixed(3)}), ${count} child runs of ${parent.runId}`,
  );
  return {
    method,
    params: { ...space.fixed, ...best },
    bestParams: best,
    bestIndex: result.bestIndex,
    bestFoldScores: result.cvResults.splitTestScores[result.bestIndex]!,
    bestScore: result.bestScore,
    candidates: count,
    childRunIds,
    cvResultsCsv: cvResultsCsv(result.cvResults),
  };
}

function runSearchOf(
  kind: ModelKind,
  space: SearchSpace,
  { options, data }: SearchContext,
  onProgress: (done: number, total: number) => void,
): Promise<SearchResult<Pipeline>> {
  const search = options.search!;
  const common = {
    estimator: new Pipeline({
      preprocessor: createHeartPreprocessor(),
      classifier: MODEL_KINDS[kind].create(options, space.fixed),
      inputSchema: data.inputSchema,
    }),
    records: data.train.rows,
    labels: data.train.labels,
    // The folds of the model's own CV (`--cv-folds`, `--seed`, `--split`).
    cv: stratifiedKFold({
      labels: data.train.labels,
      folds: options.cvFolds,
      seed: options.seed,
      method: options.split,
    }),
    scoring: 'rocAuc' as const,
    nJobs: search.jobs,
    // The parent run's model is the best candidate trained as every run's model is.
    refit: false,
    onProgress,
  };
  if (search.method === 'grid') return gridSearch({ ...common, grid: space.grid! });
  return randomSearch({
    ...common,
    distributions: space.distributions ?? space.grid!,
    trials: search.trials ?? space.trials ?? DEFAULT_TRIALS,
    seed: options.seed,
  });
}

async function logChild(
  kind: ModelKind,
  space: SearchSpace,
  cv: CvResults,
  index: number,
  parent: ActiveRun,
  { options, client, experimentId, trainingId }: SearchContext,
  open: OpenRuns,
): Promise<string> {
  const child = await client.startRun({
    experimentId,
    runName: `${MODEL_KINDS[kind].runName}-candidate-${index}`,
    tags: {
      'mlflow.parentRunId': parent.runId,
      model_type: MODEL_KINDS[kind].modelType,
      'heart.training_id': trainingId,
      'heart.search.candidate': index,
    },
  });
  open.add(child);
  const params = runParams({ kind }, options, { ...space.fixed, ...cv.params[index] });
  const timestamp = Date.now();
  const metric = (key: string, value: number) => ({ key, value, step: 0, timestamp });
  await child.logBatch({
    params: Object.entries(params).map(([key, value]) => ({ key, value: value as string })),
    metrics: [
      metric('mean_test_score', cv.meanTestScore[index]!),
      metric('std_test_score', cv.stdTestScore[index]!),
      metric('rank_test_score', cv.rankTestScore[index]!),
      metric('mean_fit_time', cv.meanFitTime[index]!),
      metric('std_fit_time', cv.stdFitTime[index]!),
      metric('mean_score_time', cv.meanScoreTime[index]!),
      metric('std_score_time', cv.stdScoreTime[index]!),
    ],
  });
  await child.end('FINISHED');
  open.delete(child);
  return child.runId;
}

/** `maxDepth` → `max_depth`, as the params are logged (`C` stays `C`). */
export function snakeCase(name: string): string {
  return name.length === 1 ? name : name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function describeParams(params: Params): string {
  return `{ ${Object.entries(params)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join(', ')} }`;
}

const csvCell = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
const paramCell = (value: ParamValue | undefined) =>
  value === undefined ? '' : value === null ? 'None' : String(value);

/** `pd.DataFrame(cv_results_).to_csv(index=False)`'s columns, with params as JSON. */
function cvResultsCsv(cv: CvResults): string {
  const names = [...new Set(cv.params.flatMap((params) => Object.keys(params)))].sort();
  const folds = cv.splitTestScores[0]?.length ?? 0;
  const header = [
    'mean_fit_time',
    'std_fit_time',
    'mean_score_time',
    'std_score_time',
    ...names.map((name) => `param_${snakeCase(name)}`),
    'params',
    ...Array.from({ length: folds }, (_, fold) => `split${fold}_test_score`),
    'mean_test_score',
    'std_test_score',
    'rank_test_score',
  ];
  const rows = cv.params.map((params, i) =>
    [
      cv.meanFitTime[i]!,
      cv.stdFitTime[i]!,
      cv.meanScoreTime[i]!,
      cv.stdScoreTime[i]!,
      ...names.map((name) => paramCell(params[name])),
      JSON.stringify(params),
      ...cv.splitTestScores[i]!,
      cv.meanTestScore[i]!,
      cv.stdTestScore[i]!,
      cv.rankTestScore[i]!,
    ]
      .map((cell) => csvCell(String(cell)))
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
