import {
  type ActiveRun,
  assertArtifactsWritable,
  createTrackingClient,
  type TrackingClient,
} from '@heart/mlflow';
import { newTrainingId } from '@heart/pipeline';
import { logCharts, renderRunCharts } from './charts.js';
import { loadTrainingData, type TrainingData } from './data-stage.js';
import { evaluateModel } from './evaluate.js';
import type { OpenRuns } from './interrupt.js';
import { logRun, runParams } from './log-run.js';
import { MODEL_KINDS, TRAINING_ORDER } from './model-kinds.js';
import { abandonOpenRuns, fallsBackOffline, trackWithOfflineFallback } from './offline-fallback.js';
import { DEFAULT_EXPERIMENT, type ModelKind, type TrainOptions } from './options.js';
import { createPlotRenderer, type PlotRenderer } from './plot-renderer.js';
import { type RegistryOutcome, registerBest } from './register.js';
import type { Reporter } from './reporter.js';
import { readSearchSpaces, type SearchSpaces } from './search-space-file.js';
import { type SearchOutcome, searchModel, snakeCase } from './search-stage.js';
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
  openRuns: OpenRuns = new Set(),
): Promise<TrainResult> {
  const plots = renderer ?? createPlotRenderer();
  try {
    // A bad --search-space file fails before any download.
    const spaces = await readSearchSpaces(options);
    const data = await loadTrainingData(options, reporter);
    // --offline-fallback: a server out of reach sends the tracking to mlruns-offline/ instead.
    return await trackWithOfflineFallback(options, reporter, (trackingUri) =>
      trackModels({ ...options, trackingUri }, { data, spaces }, reporter, plots, openRuns),
    );
  } finally {
    await plots.close();
  }
}

/** What every run of a session shares. */
interface Session {
  options: TrainOptions;
  data: TrainingData;
  reporter: Reporter;
  plots: PlotRenderer;
  client: TrackingClient;
  experiment: { id: string; name: string };
  versions: Record<string, string>;
  trainingId: string;
  /** What `--search` tunes, per model. */
  spaces: SearchSpaces;
}

async function trackModels(
  options: TrainOptions,
  { data, spaces }: { data: TrainingData; spaces: SearchSpaces },
  reporter: Reporter,
  plots: PlotRenderer,
  open: OpenRuns,
): Promise<TrainResult> {
  const client = createTrackingClient({
    trackingUri: options.trackingUri,
    cwd: options.root,
    // Every retry is said, as the download's are: a slow server is never silence.
    rest: {
      onRetry: (event) =>
        reporter.line(
          `  retry ${event.attempt} of MLflow ${event.endpoint} in ${Math.round(event.waitMs)} ms: ${event.reason}`,
        ),
    },
  });
  const name = options.experiment ?? client.defaultExperimentName ?? DEFAULT_EXPERIMENT;
  const experiment = await client.setExperiment(name);
  // Before any training: an experiment whose artifacts cannot be written is refused now.
  assertArtifactsWritable(experiment);
  const { experimentId } = experiment;
  const session: Session = {
    ...{ options, data, reporter, plots, client },
    experiment: { id: experimentId, name },
    versions: heartVersions(),
    trainingId: newTrainingId(),
    spaces,
  };
  const trained: { run: ActiveRun; model: TrainedModel }[] = [];
  try {
    const order = [...options.models].sort(
      (a, b) => TRAINING_ORDER.indexOf(a) - TRAINING_ORDER.indexOf(b),
    );
    for (const kind of order) trained.push(await trainOne(kind, session, open));
    // The charts render in the worker (started with the process, so vega is warm by now) and go
    // into every run; only then do the runs end.
    const started = performance.now();
    const charts = await logCharts(trained, plots);
    for (const run of [...open]) {
      await run.end('FINISHED');
      open.delete(run);
    }
    reporter.stage('charts', seconds(started), `${charts} charts as PNG, SVG and vega-lite JSON`);
  } catch (error) {
    // A server out of reach cannot end its runs either: with the fallback they are left open.
    const failed = fallsBackOffline(options, error)
      ? abandonOpenRuns(open)
      : await failOpenRuns(open);
    await client.close().catch(() => undefined);
    throw new TrainingFailed(error, failed);
  }
  return selectRegisterSave(
    trained.map((entry) => entry.model),
    session,
  );
}

/** One model: its run (params first), CV, fit, evaluation, charts started, everything logged. */
async function trainOne(
  kind: ModelKind,
  session: Session,
  open: OpenRuns,
): Promise<{ run: ActiveRun; model: TrainedModel }> {
  const { options, data, reporter, versions } = session;
  const started = performance.now();
  const space = session.spaces[kind];
  const run = await session.client.startRun({
    experimentId: session.experiment.id,
    runName: MODEL_KINDS[kind].runName,
    tags: {
      model_type: MODEL_KINDS[kind].modelType,
      'heart.data.sha256': data.summary.sha256,
      'heart.data.sites': options.sites.join(','),
      'heart.versions': JSON.stringify(versions),
      'heart.training_id': session.trainingId,
      ...(space ? { 'heart.search': options.search!.method } : {}),
    },
  });
  open.add(run);
  // --search: the candidates as child runs first; the parent trains the best one.
  const search = space
    ? await searchModel(kind, space, run, { ...session, experimentId: session.experiment.id }, open)
    : undefined;
  await run.logParams({
    ...runParams({ kind }, options, search?.params),
    ...(search ? searchParams(search) : {}),
  });
  const evaluated = evaluateModel(
    kind,
    options,
    data,
    reporter,
    search && { params: search.params, foldScores: search.bestFoldScores },
  );
  const model: TrainedModel = {
    ...evaluated,
    runId: run.runId,
    // This model's charts render in the worker while the next model trains.
    charts: renderRunCharts(evaluated, session.plots),
  };
  model.charts!.catch(() => undefined);
  describeTraining(model, session);
  await logRun(run, model, { data, modelsVersion: versions['@heart/models']! });
  if (search) {
    await run.logMetrics({ best_cv_score: search.bestScore });
    await run.logText(search.cvResultsCsv, 'cv_results.csv');
  }
  reporter.stage(
    model.runName,
    seconds(started),
    `ROC AUC ${model.metrics.roc_auc.toFixed(4)} (CV ${model.cv.rocAucMean.toFixed(3)} ± ${model.cv.rocAucStd.toFixed(3)}), run ${run.runId}`,
  );
  return { run, model };
}

/** The parent run's search params: `best_<option>` as autolog logs them, and how it searched. */
function searchParams(search: SearchOutcome): Record<string, string | number | boolean | null> {
  const best = Object.entries(search.bestParams).map(([key, value]) => [
    `best_${snakeCase(key)}`,
    value,
  ]);
  return {
    search: search.method,
    search_candidates: search.candidates,
    search_scoring: 'roc_auc',
    ...Object.fromEntries(best),
  };
}

/** Ends every open run FAILED; returns the ids of those it could end. */
async function failOpenRuns(open: OpenRuns): Promise<string[]> {
  const failed: string[] = [];
  for (const run of [...open]) {
    const ended = await run.end('FAILED').then(
      () => true,
      () => false,
    );
    open.delete(run);
    if (ended) failed.push(run.runId);
  }
  return failed;
}

/** The best model: registered (alias as `--promote` says), then written to `models/`. */
async function selectRegisterSave(models: TrainedModel[], session: Session): Promise<TrainResult> {
  const { options, reporter, client } = session;
  let started = performance.now();
  const best = pickBest(models, options.selectMetric);
  let registry: RegistryOutcome;
  try {
    registry = await registerBest(client, best, options);
  } catch (error) {
    // The runs are finished at the tracking server: said, and never trained again offline.
    const runs = models.map((model) => model.runId).join(', ');
    throw new TrainingFailed(
      error,
      [],
      `the runs ${runs} finished in MLflow; nothing was registered`,
    );
  } finally {
    await client.close();
  }
  reporter.stage('register', seconds(started), registry.reason);
  started = performance.now();
  let modelDir: string;
  try {
    modelDir = await saveBest(best, options);
  } catch (error) {
    const runs = models.map((model) => model.runId).join(', ');
    throw new TrainingFailed(
      error,
      [],
      `the runs ${runs} finished in MLflow and ${registry.name} version ${registry.version} is registered${registry.promoted ? ` with the alias ${registry.alias}` : ''}`,
    );
  }
  reporter.stage(
    'best model',
    seconds(started),
    `${best.runName} by ${options.selectMetric} → ${modelDir}`,
  );
  return {
    models: options.models.map((kind) => models.find((model) => model.kind === kind)!),
    best,
    selectMetric: options.selectMetric,
    experimentId: session.experiment.id,
    experimentName: session.experiment.name,
    trackingUri: client.trackingUri,
    modelDir,
    registry,
    data: { ...session.data.summary, sites: options.sites },
  };
}

/** What the pipeline carries about its training (its metadata.json, in MLflow and in models/). */
function describeTraining(model: TrainedModel, session: Session): void {
  const { options, data } = session;
  model.pipeline.versions = session.versions;
  model.pipeline.training = {
    runName: model.runName,
    metrics: { ...model.metrics },
    cv: model.cv,
    params: { ...model.pipeline.classifier.params },
    mlflow: {
      trackingUri: session.client.trackingUri,
      experimentId: session.experiment.id,
      experimentName: session.experiment.name,
      runId: model.runId,
      modelUri: `runs:/${model.runId}/model`,
    },
    data: { ...data.summary, sites: options.sites, source: data.sources },
    seed: options.seed,
    split: options.split,
    testSize: options.testSize,
    cvFolds: options.cvFolds,
    trainingSeconds: model.fitSeconds,
    createdAt: new Date().toISOString(),
    trainingId: session.trainingId,
  };
}
