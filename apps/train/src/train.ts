import { type ActiveRun, createTrackingClient } from '@heart/mlflow';
import { logCharts, renderRunCharts } from './charts.js';
import { loadTrainingData, type TrainingData } from './data-stage.js';
import { evaluateModel } from './evaluate.js';
import { logRun, runParams } from './log-run.js';
import { MODEL_KINDS, TRAINING_ORDER } from './model-kinds.js';
import { DEFAULT_EXPERIMENT, type TrainOptions } from './options.js';
import { createPlotRenderer, type PlotRenderer } from './plot-renderer.js';
import type { Reporter } from './reporter.js';
import { pickBest, saveBest } from './select-and-save.js';
import { TrainingFailed } from './training-failed.js';
import type { TrainedModel, TrainResult } from './training-result.js';
import { heartVersions } from './versions.js';

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * The whole job: data → split → for each model an MLflow run (params, CV, fit, test metrics,
 * plots, the pipeline as its model) → the best pipeline written to `models/`. A failure marks the
 * open runs FAILED, leaves `models/` as it was, and rejects with {@link TrainingFailed}.
 */
export async function runTraining(
  options: TrainOptions,
  reporter: Reporter,
  renderer?: PlotRenderer,
): Promise<TrainResult> {
  const plots = renderer ?? createPlotRenderer();
  try {
    const data = await loadTrainingData(options, reporter);
    return await trackModels(options, data, reporter, plots);
  } finally {
    await plots.close();
  }
}

async function trackModels(
  options: TrainOptions,
  data: TrainingData,
  reporter: Reporter,
  plots: PlotRenderer,
): Promise<TrainResult> {
  const client = createTrackingClient({ trackingUri: options.trackingUri, cwd: options.root });
  const experimentName = options.experiment ?? client.defaultExperimentName ?? DEFAULT_EXPERIMENT;
  const experiment = await client.setExperiment(experimentName);
  const versions = heartVersions();
  const trained: { run: ActiveRun; model: TrainedModel }[] = [];
  const open: ActiveRun[] = [];
  try {
    const order = [...options.models].sort(
      (a, b) => TRAINING_ORDER.indexOf(a) - TRAINING_ORDER.indexOf(b),
    );
    for (const kind of order) {
      const started = performance.now();
      const run = await client.startRun({
        experimentId: experiment.experimentId,
        runName: MODEL_KINDS[kind].runName,
        tags: {
          model_type: MODEL_KINDS[kind].modelType,
          'heart.data.sha256': data.summary.sha256,
          'heart.data.sites': options.sites.join(','),
          'heart.versions': JSON.stringify(versions),
        },
      });
      open.push(run);
      await run.logParams(runParams({ kind }, options));
      const evaluated = evaluateModel(kind, options, data, reporter);
      const model: TrainedModel = {
        ...evaluated,
        runId: run.runId,
        // This model's charts render in the worker while the next model trains.
        charts: renderRunCharts(evaluated, plots),
      };
      model.charts!.catch(() => undefined);
      describeTraining(model, {
        options,
        data,
        versions,
        run,
        experiment: { id: experiment.experimentId, name: experimentName },
        trackingUri: client.trackingUri,
      });
      await logRun(run, model, { data, modelsVersion: versions['@heart/models']! });
      trained.push({ run, model });
      reporter.stage(
        model.runName,
        seconds(started),
        `ROC AUC ${model.metrics.roc_auc.toFixed(4)} (CV ${model.cv.rocAucMean.toFixed(3)} ± ${model.cv.rocAucStd.toFixed(3)}), run ${run.runId}`,
      );
    }
    // The charts render in the worker (started with the process, so vega is warm by now) and go
    // into every run; only then do the runs end.
    const started = performance.now();
    const charts = await logCharts(trained, plots);
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

  const started = performance.now();
  const models = trained.map((entry) => entry.model);
  const best = pickBest(models, options.selectMetric);
  for (const { run, model } of trained)
    await run.setTag('heart.best', model === best ? 'true' : 'false');
  await client.close();
  const modelDir = await saveBest(best, options);
  reporter.stage(
    'best model',
    seconds(started),
    `${best.runName} by ${options.selectMetric} → ${modelDir}`,
  );
  return {
    models: options.models.map((kind) => models.find((model) => model.kind === kind)!),
    best,
    selectMetric: options.selectMetric,
    experimentId: experiment.experimentId,
    experimentName,
    trackingUri: client.trackingUri,
    modelDir,
    data: { ...data.summary, sites: options.sites },
  };
}

/** What the pipeline carries about its training (its metadata.json, in MLflow and in models/). */
function describeTraining(
  model: TrainedModel,
  context: {
    options: TrainOptions;
    data: TrainingData;
    versions: Record<string, string>;
    run: ActiveRun;
    experiment: { id: string; name: string };
    trackingUri: string;
  },
): void {
  const { options, data } = context;
  model.pipeline.versions = context.versions;
  model.pipeline.training = {
    runName: model.runName,
    metrics: { ...model.metrics },
    cv: model.cv,
    params: { ...model.pipeline.classifier.params },
    mlflow: {
      trackingUri: context.trackingUri,
      experimentId: context.experiment.id,
      experimentName: context.experiment.name,
      runId: context.run.runId,
      modelUri: `runs:/${context.run.runId}/model`,
    },
    data: { ...data.summary, sites: options.sites, source: data.sources },
    seed: options.seed,
    split: options.split,
    testSize: options.testSize,
    cvFolds: options.cvFolds,
    trainingSeconds: model.fitSeconds,
    createdAt: new Date().toISOString(),
  };
}
