import { classificationReport, rocAuc } from '@heart/metrics';
import type { ParamValue } from '@heart/models';
import { crossValidate, Pipeline } from '@heart/pipeline';
import { createHeartPreprocessor, stratifiedKFold } from '@heart/preprocessing';
import type { TrainingData } from './data-stage.js';
import { MODEL_KINDS } from './model-kinds.js';
import type { ModelKind, TrainOptions } from './options.js';
import type { Reporter } from './reporter.js';
import type { TrainedModel } from './training-result.js';

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Classifier options that win over the flags' (the best candidate of a `--search`). */
type Overrides = Readonly<Record<string, ParamValue>> | undefined;

/** A fresh, unfitted pipeline of `kind`: the heart preprocessor and the classifier. */
function createPipeline(
  kind: ModelKind,
  options: TrainOptions,
  data: TrainingData,
  overrides: Overrides,
): Pipeline {
  return new Pipeline({
    preprocessor: createHeartPreprocessor(),
    classifier: MODEL_KINDS[kind].create(options, overrides),
    inputSchema: data.inputSchema,
  });
}

/** The ROC AUC of each fold of `kind`'s CV: a fresh pipeline per fold, the split's own folds. */
function crossValidateModel(
  kind: ModelKind,
  options: TrainOptions,
  data: TrainingData,
  reporter: Reporter,
): number[] {
  const cvLabel = `${MODEL_KINDS[kind].runName}: ${options.cvFolds}-fold CV`;
  reporter.progress(cvLabel, 0, options.cvFolds);
  return crossValidate({
    records: data.train.rows,
    labels: data.train.labels,
    folds: stratifiedKFold({
      labels: data.train.labels,
      folds: options.cvFolds,
      seed: options.seed,
      method: options.split,
    }),
    createPipeline: () => createPipeline(kind, options, data, undefined),
    score: (labels, probabilities) => rocAuc(labels, probabilities),
    onFold: (done, total) => reporter.progress(cvLabel, done, total),
  });
}

/**
 * Cross-validates `kind` on the training rows (a fresh pipeline per fold, on the split's own kind
 * of folds), fits it on all of them, and evaluates it on the test rows. `best` (a search's best
 * candidate): its options win over the flags', and its fold scores are the CV.
 */
export function evaluateModel(
  kind: ModelKind,
  options: TrainOptions,
  data: TrainingData,
  reporter: Reporter,
  best?: { params: Overrides; foldScores: readonly number[] },
): Omit<TrainedModel, 'runId'> {
  const overrides = best?.params;
  const { runName } = MODEL_KINDS[kind];
  // A search already cross-validated its best candidate on these same folds: not run again.
  const aucs = best ? [...best.foldScores] : crossValidateModel(kind, options, data, reporter);
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  const std = Math.sqrt(aucs.reduce((sum, auc) => sum + (auc - mean) ** 2, 0) / aucs.length);

  const started = performance.now();
  const pipeline = createPipeline(kind, options, data, overrides).fit(
    data.train.rows,
    data.train.labels,
    {
      onProgress: (done, total) => reporter.progress(`${runName}: trees`, done, total),
    },
  );
  const fitSeconds = seconds(started);
  const report = classificationReport(data.test.labels, pipeline.predictProba(data.test.rows), {
    includeCurves: true,
  });
  return {
    kind,
    runName,
    pipeline,
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
