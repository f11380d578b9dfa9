import type { ActiveRun } from '@heart/mlflow';
import { PIPELINE_FILES, pipelineFiles, projectRecords, signatureInputs } from '@heart/pipeline';
import type { TrainingData } from './data-stage.js';
import { MODEL_KINDS } from './model-kinds.js';
import type { TrainOptions } from './options.js';
import type { TrainedModel } from './training-result.js';

/** The params every run logs: the classifier's, then how it was trained. */
export function runParams(model: Pick<TrainedModel, 'kind'>, options: TrainOptions) {
  return {
    ...MODEL_KINDS[model.kind].create(options).params,
    seed: options.seed,
    split: options.split,
    test_size: options.testSize,
    cv_folds: options.cvFolds,
    sites: options.sites.join(','),
  };
}

/** Logs a trained model's metrics, reports and the model itself (the pipeline) into its run. */
export async function logRun(
  run: ActiveRun,
  model: TrainedModel,
  context: { data: TrainingData; modelsVersion: string },
): Promise<void> {
  const { pipeline, report, metrics, cv } = model;
  const files = PIPELINE_FILES['mlflow-model'];
  const classifier = pipeline.classifier;
  await run.logMetrics({
    ...metrics,
    cv_roc_auc_mean: cv.rocAucMean,
    cv_roc_auc_std: cv.rocAucStd,
    fit_seconds: model.fitSeconds,
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
    { model: classifier.kind, params: classifier.params, test: reportWithoutCurves, cv },
    'metrics.json',
  );
  const importance = MODEL_KINDS[model.kind].importance(classifier);
  await run.logDict(
    { method: importance.method, features: classifier.featureImportances(), ...importance.extra },
    'feature_importance.json',
  );
  await run.logModel({
    artifactPath: 'model',
    files: pipelineFiles(pipeline, 'mlflow-model'),
    flavor: {
      name: 'heart',
      config: {
        model_file: files.classifier,
        model_kind: classifier.kind,
        model_format_version: 1,
        preprocessor_file: files.preprocessor,
        preprocessor_format_version: 1,
        metadata_file: files.metadata,
        heart_models_version: context.modelsVersion,
      },
    },
    signature: {
      inputs: signatureInputs(pipeline.inputSchema),
      outputs: [
        { name: 'prediction', type: 'long' as const },
        { name: 'probability', type: 'double' as const },
      ],
    },
    inputExample: projectRecords(pipeline.inputSchema, context.data.test.rows.slice(0, 2)),
  });
}
