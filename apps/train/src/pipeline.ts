import { resolve } from 'node:path';
import {
  COLUMN_SPECS,
  downloadDataset,
  FEATURE_COLUMNS,
  type HeartRow,
  loadDataset,
} from '@heart/data';
import { type ClassificationReport, classificationReport, rocAuc } from '@heart/metrics';
import { type ActiveRun, createTrackingClient } from '@heart/mlflow';
import { type Classifier, LogisticRegression, RandomForest } from '@heart/models';
import {
  confusionMatrixSpec,
  featureImportanceSpec,
  precisionRecallSpec,
  type RenderedChart,
  rocCurveSpec,
} from '@heart/plots';
import {
  type ColumnPipeline,
  createHeartPreprocessor,
  stratifiedKFold,
  trainTestSplit,
} from '@heart/preprocessing';
import { writeFilesAtomically } from './model-files.js';
import type { ModelKind, SelectionMetric, TrainOptions } from './options.js';
import { createPlotRenderer, type PlotRenderer } from './plot-renderer.js';
import type { Reporter } from './reporter.js';
import { TrainingFailed } from './training-failed.js';
import { heartVersions } from './versions.js';

const RUN_NAMES: Record<ModelKind, string> = { lr: 'logistic-regression', rf: 'random-forest' };
const TRAINING_ORDER: readonly ModelKind[] = ['rf', 'lr'];

/** The test metrics logged for every run (MLflow names). */
export interface TestMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number;
  pr_auc: number;
  log_loss: number;
  brier: number;
}

/** One trained and logged model. */
export interface RunSummary {
  kind: ModelKind;
  runName: string;
  runId: string;
  modelKind: string;
  metrics: TestMetrics;
  cv: { rocAucMean: number; rocAucStd: number; folds: number[] };
  fitSeconds: number;
}

/** What one training session did. */
export interface TrainResult {
  runs: RunSummary[];
  best: RunSummary;
  selectMetric: SelectionMetric;
  experimentId: string;
  trackingUri: string;
  modelDir: string;
  data: { rows: number; positives: number; sha256: string; sites: string[] };
}

interface TrainedRun {
  run: ActiveRun;
  evaluation: Evaluation;
  charts: Promise<RenderedChart[]>;
  summary: RunSummary;
}

interface Evaluation {
  model: Classifier;
  report: ClassificationReport;
  metrics: TestMetrics;
  cv: RunSummary['cv'];
  fitSeconds: number;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * The whole job: data → split → preprocessor → for each model a MLflow run (params, CV, fit, test
 * metrics, plots, model) → the best model written to `models/`. A failure marks the open run FAILED,
 * leaves `models/` as it was, and rejects.
 */
export async function runTraining(
  options: TrainOptions,
  reporter: Reporter,
  renderer?: PlotRenderer,
): Promise<TrainResult> {
  const plots = renderer ?? createPlotRenderer();
  try {
    return await train(options, reporter, plots);
  } finally {
    await plots.close();
  }
}

async function train(
  options: TrainOptions,
  reporter: Reporter,
  plots: PlotRenderer,
): Promise<TrainResult> {
  // ── data ──
  let started = performance.now();
  const download = await downloadDataset({
    source: options.dataSource,
    sites: options.sites,
    cacheDir: options.dataDir,
    cwd: options.root,
    verifyChecksum: options.verifyChecksum,
    onRetry: (event) =>
      reporter.line(
        `  retry ${event.attempt} of ${event.url} in ${event.waitMs} ms: ${event.reason}`,
      ),
  });
  const { rows, summary } = await loadDataset(download.files.map((file) => file.path));
  const fromCache = download.files.every((file) => file.fromCache);
  reporter.stage(
    'data',
    seconds(started),
    `${summary.rows} rows, ${summary.positives} with disease (${fromCache ? 'cached' : 'downloaded'}), sha256 ${summary.sha256.slice(0, 12)}`,
  );

  // ── split and preprocessing ──
  started = performance.now();
  const labels = rows.map((row) => row.target);
  const split = trainTestSplit({
    labels,
    testSize: options.testSize,
    seed: options.seed,
    method: options.split,
  });
  const trainRows = split.trainIndex.map((index) => rows[index]!);
  const testRows = split.testIndex.map((index) => rows[index]!);
  const trainLabels = trainRows.map((row) => row.target);
  const testLabels = testRows.map((row) => row.target);
  const preprocessor = createHeartPreprocessor().fit(trainRows);
  const trainFeatures = preprocessor.transform(trainRows);
  const testFeatures = preprocessor.transform(testRows);
  reporter.stage(
    'split + preprocess',
    seconds(started),
    `${trainRows.length} train / ${testRows.length} test rows, ${preprocessor.featureNames.length} features (seed ${options.seed}, ${options.split} split)`,
  );

  // ── tracking: one run per model, charts at the end, then the best model ──
  const client = createTrackingClient({ trackingUri: options.trackingUri, cwd: options.root });
  const experiment = await client.setExperiment(options.experiment);
  const versions = heartVersions();
  const runs: TrainedRun[] = [];
  const open: ActiveRun[] = [];
  try {
    // The slowest model first: its charts render in the worker while the next one trains.
    const order = [...options.models].sort(
      (a, b) => TRAINING_ORDER.indexOf(a) - TRAINING_ORDER.indexOf(b),
    );
    for (const kind of order) {
      started = performance.now();
      const run = await client.startRun({
        experimentId: experiment.experimentId,
        runName: RUN_NAMES[kind],
        tags: {
          model_type: kind === 'lr' ? 'logistic_regression' : 'random_forest',
          'heart.data.sha256': summary.sha256,
          'heart.data.sites': options.sites.join(','),
          'heart.versions': JSON.stringify(versions),
        },
      });
      open.push(run);
      const evaluation = await evaluate(kind, options, run, reporter, {
        rows: trainRows,
        features: trainFeatures,
        labels: trainLabels,
        testFeatures,
        testLabels,
        featureNames: preprocessor.featureNames,
      });
      // This model's charts start rendering in the worker while the next model trains.
      const charts = renderRunCharts(RUN_NAMES[kind], evaluation, plots);
      charts.catch(() => undefined);
      await logRun(run, evaluation, {
        preprocessor,
        testRows,
        modelsVersion: versions['@heart/models']!,
      });
      runs.push({
        run,
        evaluation,
        charts,
        summary: {
          kind,
          runName: RUN_NAMES[kind],
          runId: run.runId,
          modelKind: evaluation.model.kind,
          metrics: evaluation.metrics,
          cv: evaluation.cv,
          fitSeconds: evaluation.fitSeconds,
        },
      });
      reporter.stage(
        RUN_NAMES[kind],
        seconds(started),
        `ROC AUC ${evaluation.metrics.roc_auc.toFixed(4)} (CV ${evaluation.cv.rocAucMean.toFixed(3)} ± ${evaluation.cv.rocAucStd.toFixed(3)}), run ${run.runId}`,
      );
    }
    // The charts render in the worker (started with the process, so vega is warm by now) and go
    // into every run; only then do the runs end.
    started = performance.now();
    const charts = await logCharts(runs, plots);
    for (const run of open.splice(0)) await run.end('FINISHED');
    reporter.stage('charts', seconds(started), `${charts} charts as PNG, SVG and vega-lite JSON`);
  } catch (error) {
    const failed: string[] = [];
    for (const run of open) {
      const ended = await run.end('FAILED').then(
        () => true,
        () => false,
      );
      if (ended) failed.push(run.runId);
    }
    await client.close().catch(() => undefined);
    throw new TrainingFailed(error, failed);
  }

  started = performance.now();
  const best = pickBest(
    runs.map((entry) => entry.summary),
    options.selectMetric,
  );
  const winner = runs.find((entry) => entry.summary.runId === best.runId)!;
  for (const { run, summary: s } of runs)
    await run.setTag('heart.best', s.runId === best.runId ? 'true' : 'false');
  await client.close();
  const modelDir = resolve(options.root, options.outputDir);
  await writeFilesAtomically(modelDir, {
    'best_model.json': JSON.stringify(winner.evaluation.model),
    'preprocessor.json': JSON.stringify(preprocessor),
    'metadata.json': `${JSON.stringify(
      {
        formatVersion: 1,
        kind: winner.evaluation.model.kind,
        runName: best.runName,
        selection: { metric: options.selectMetric, value: best.metrics[options.selectMetric] },
        metrics: best.metrics,
        cv: best.cv,
        params: winner.evaluation.model.params,
        featureNames: preprocessor.featureNames,
        inputColumns: [...FEATURE_COLUMNS],
        mlflow: {
          trackingUri: client.trackingUri,
          experimentId: experiment.experimentId,
          experimentName: options.experiment,
          runId: best.runId,
          modelUri: `runs:/${best.runId}/model`,
        },
        data: {
          sha256: summary.sha256,
          rows: summary.rows,
          positives: summary.positives,
          sites: options.sites,
          source: download.files.map((file) => file.url),
        },
        seed: options.seed,
        split: options.split,
        testSize: options.testSize,
        cvFolds: options.cvFolds,
        trainingSeconds: best.fitSeconds,
        createdAt: new Date().toISOString(),
        versions,
      },
      null,
      2,
    )}\n`,
  });
  reporter.stage(
    'best model',
    seconds(started),
    `${best.runName} by ${options.selectMetric} → ${modelDir}`,
  );
  return {
    runs: options.models.map((kind) => runs.find((entry) => entry.summary.kind === kind)!.summary),
    best,
    selectMetric: options.selectMetric,
    experimentId: experiment.experimentId,
    trackingUri: client.trackingUri,
    modelDir,
    data: {
      rows: summary.rows,
      positives: summary.positives,
      sha256: summary.sha256,
      sites: options.sites,
    },
  };
}

function createModel(kind: ModelKind, options: TrainOptions): Classifier {
  return kind === 'lr'
    ? new LogisticRegression({ C: options.lr.C, maxIter: options.lr.maxIter })
    : new RandomForest({ ...options.rf, seed: options.seed });
}

async function evaluate(
  kind: ModelKind,
  options: TrainOptions,
  run: ActiveRun,
  reporter: Reporter,
  data: {
    rows: HeartRow[];
    features: Float64Array[];
    labels: number[];
    testFeatures: Float64Array[];
    testLabels: number[];
    featureNames: string[];
  },
): Promise<Evaluation> {
  const label = RUN_NAMES[kind];
  const probe = createModel(kind, options);
  await run.logParams({
    ...probe.params,
    seed: options.seed,
    split: options.split,
    test_size: options.testSize,
    cv_folds: options.cvFolds,
    sites: options.sites.join(','),
  });

  // Cross-validation on the training rows: preprocessor and model refitted on each fold.
  const folds = stratifiedKFold({
    labels: data.labels,
    folds: options.cvFolds,
    seed: options.seed,
    method: options.split,
  });
  const aucs: number[] = [];
  for (const [index, fold] of folds.entries()) {
    reporter.progress(`${label}: ${options.cvFolds}-fold CV`, index, folds.length);
    const foldTrain = fold.trainIndex.map((i) => data.rows[i]!);
    const foldTest = fold.testIndex.map((i) => data.rows[i]!);
    const foldPre = createHeartPreprocessor().fit(foldTrain);
    const model = createModel(kind, options).fit(
      foldPre.transform(foldTrain),
      fold.trainIndex.map((i) => data.labels[i]!),
    );
    aucs.push(
      rocAuc(
        fold.testIndex.map((i) => data.labels[i]!),
        model.predictProba(foldPre.transform(foldTest)),
      ),
    );
  }
  reporter.progress(`${label}: ${options.cvFolds}-fold CV`, folds.length, folds.length);
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  const std = Math.sqrt(aucs.reduce((sum, auc) => sum + (auc - mean) ** 2, 0) / aucs.length);

  const fitStarted = performance.now();
  const model = createModel(kind, options);
  if (model instanceof RandomForest) {
    model.fit(data.features, data.labels, {
      featureNames: data.featureNames,
      onProgress: (done, total) => reporter.progress(`${label}: trees`, done, total),
    });
  } else {
    model.fit(data.features, data.labels, { featureNames: data.featureNames });
  }
  const fitSeconds = seconds(fitStarted);
  const report = classificationReport(data.testLabels, model.predictProba(data.testFeatures), {
    includeCurves: true,
  });
  return {
    model,
    report,
    metrics: {
      accuracy: report.accuracy,
      precision: report.precision,
      recall: report.recall,
      f1: report.f1,
      roc_auc: report.rocAuc,
      pr_auc: report.averagePrecision,
      log_loss: report.logLoss,
      brier: report.brierScore,
    },
    cv: { rocAucMean: mean, rocAucStd: std, folds: aucs },
    fitSeconds,
  };
}

async function logRun(
  run: ActiveRun,
  evaluation: Evaluation,
  context: { preprocessor: ColumnPipeline; testRows: HeartRow[]; modelsVersion: string },
): Promise<void> {
  const { model, report, metrics, cv } = evaluation;
  await run.logMetrics({
    ...metrics,
    cv_roc_auc_mean: cv.rocAucMean,
    cv_roc_auc_std: cv.rocAucStd,
    fit_seconds: evaluation.fitSeconds,
  });
  const now = Date.now();
  await run.logBatch({
    metrics: cv.folds.map((auc, fold) => ({
      key: 'cv_roc_auc',
      value: auc,
      step: fold,
      timestamp: now,
    })),
  });
  const { curves: _curves, ...reportWithoutCurves } = report;
  await run.logDict(
    { model: model.kind, params: model.params, test: reportWithoutCurves, cv },
    'metrics.json',
  );
  await run.logDict(
    {
      method:
        model instanceof RandomForest
          ? 'mean decrease in impurity'
          : '|coefficient| on standardised features',
      features: model.featureImportances(),
      ...(model instanceof LogisticRegression
        ? { coefficients: model.coefficients, intercept: model.intercept }
        : {}),
    },
    'feature_importance.json',
  );
  const inputExample = context.testRows
    .slice(0, 2)
    .map((row) => Object.fromEntries(FEATURE_COLUMNS.map((column) => [column, row[column]])));
  await run.logModel({
    artifactPath: 'model',
    files: {
      'model.json': JSON.stringify(model),
      'preprocessor.json': JSON.stringify(context.preprocessor),
    },
    flavor: {
      name: 'heart',
      config: {
        model_file: 'model.json',
        model_kind: model.kind,
        model_format_version: 1,
        preprocessor_file: 'preprocessor.json',
        preprocessor_format_version: 1,
        heart_models_version: context.modelsVersion,
      },
    },
    signature: {
      inputs: FEATURE_COLUMNS.map((column) => ({
        name: column,
        type: 'double' as const,
        required: !COLUMN_SPECS[column].nullable,
      })),
      outputs: [
        { name: 'prediction', type: 'long' as const },
        { name: 'probability', type: 'double' as const },
      ],
    },
    inputExample,
  });
}

/**
 * For all runs, ROC and precision–recall curves of every model on one chart each (logged into every
 * run, so each run shows the comparison); per run, the confusion matrix and feature importance.
 * Returns how many charts were rendered.
 */
/** The charts of one run: confusion matrix and feature importance. */
function renderRunCharts(
  runName: string,
  evaluation: Evaluation,
  plots: PlotRenderer,
): Promise<RenderedChart[]> {
  const confusion = plots.render(
    confusionMatrixSpec(evaluation.report.confusionMatrix, {
      title: `${runName}: confusion matrix (test set)`,
    }),
  );
  // The forest's importance chart, as the Python pipeline logs; every model's importances also go
  // into feature_importance.json (for logistic regression: |coefficient|, and the coefficients).
  if (evaluation.model.kind !== 'random-forest') return Promise.all([confusion]);
  const importance = plots.render(
    featureImportanceSpec(evaluation.model.featureImportances(), {
      title: `${runName}: feature importance (mean decrease in impurity)`,
    }),
  );
  return Promise.all([confusion, importance]);
}

/**
 * Logs every run's charts, plus the ROC and precision–recall curves of all models on one chart
 * each (into every run, so each shows the comparison). Returns how many charts there were.
 */
async function logCharts(runs: TrainedRun[], plots: PlotRenderer): Promise<number> {
  if (runs.length === 0) return 0;
  const [roc, pr] = await Promise.all([
    plots.render(
      rocCurveSpec(
        runs.map(({ summary: s, evaluation }) => ({
          name: s.runName,
          ...evaluation.report.curves!.roc,
          auc: s.metrics.roc_auc,
        })),
        { title: 'ROC curves (test set)' },
      ),
    ),
    plots.render(
      precisionRecallSpec(
        runs.map(({ summary: s, evaluation }) => ({
          name: s.runName,
          ...evaluation.report.curves!.precisionRecall,
          averagePrecision: s.metrics.pr_auc,
        })),
        { title: 'Precision–recall curves (test set)' },
      ),
    ),
  ]);
  let count = 2;
  for (const { run, charts } of runs) {
    const [confusion, importance] = await charts;
    await logChart(run, 'plots/roc_curve', roc);
    await logChart(run, 'plots/pr_curve', pr);
    await logChart(run, 'plots/confusion_matrix', confusion!);
    if (importance) await logChart(run, 'plots/feature_importance', importance);
    count += importance ? 2 : 1;
  }
  return count;
}

async function logChart(
  run: ActiveRun,
  path: string,
  chart: { spec: unknown; svg: string; png: Uint8Array },
): Promise<void> {
  await run.logImage(chart.png, `${path}.png`);
  await run.logText(chart.svg, `${path}.svg`);
  await run.logDict(chart.spec, `${path}.vl.json`);
}

/** The run with the best value of `metric` (lowest for the losses); the first on ties. */
export function pickBest(runs: readonly RunSummary[], metric: SelectionMetric): RunSummary {
  const lowerIsBetter = metric === 'log_loss' || metric === 'brier';
  return runs.reduce((best, run) => {
    const better = lowerIsBetter
      ? run.metrics[metric] < best.metrics[metric]
      : run.metrics[metric] > best.metrics[metric];
    return better ? run : best;
  });
}
