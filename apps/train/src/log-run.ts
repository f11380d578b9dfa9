import type { ActiveRun } from '@heart/mlflow';
import type { ParamValue } from '@heart/models';
import { exportOnnx, ONNX_OUTPUTS, ONNX_TARGET } from '@heart/onnx';
import {
  PIPELINE_FILES,
  type Pipeline,
  pipelineFiles,
  projectRecords,
  signatureInputs,
} from '@heart/pipeline';
import type { TrainingData } from './data-stage.js';
import { MODEL_KINDS } from './model-kinds.js';
import type { TrainOptions } from './options.js';
import type { TrainedModel } from './training-result.js';

/** The ONNX graph of the pipeline, beside its JSON files. */
const ONNX_FILE = 'model.onnx';

/**
 * The Python side the `onnx` and `python_function` flavors are written for — MLflow 2.17.2's onnx
 * flavor, onnx 1.12 (the checker `mlflow.onnx.load_model` runs), onnxruntime 1.30, Python 3.11.2 —
 * so that `mlflow.pyfunc.load_model(…).predict(DataFrame)` and `mlflow models serve` run the
 * pipeline as `model.onnx` (SPEC §10).
 */
const PYTHON_SIDE = {
  python: '3.11.2',
  mlflow: '2.17.2',
  requirements: ['mlflow==2.17.2', `onnx==${ONNX_TARGET.onnxVersion}`, 'onnxruntime==1.30.0'],
};

/** The `python_function` and `onnx` flavors, in the order MLflow's onnx flavor adds them. */
function onnxFlavors() {
  return {
    python_function: {
      loader_module: 'mlflow.onnx',
      python_version: PYTHON_SIDE.python,
      data: ONNX_FILE,
      env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
    },
    onnx: {
      onnx_version: ONNX_TARGET.onnxVersion,
      data: ONNX_FILE,
      providers: ['CUDAExecutionProvider', 'CPUExecutionProvider'],
      onnx_session_options: null,
      code: null,
    },
  };
}

/** The model's files: the pipeline's JSON files (the heart flavor) and its ONNX graph. */
function modelFiles(pipeline: Pipeline) {
  return { ...pipelineFiles(pipeline, 'mlflow-model'), [ONNX_FILE]: exportOnnx(pipeline) };
}

/**
 * The params every run logs: the classifier's (with a search candidate's `overrides`), then how
 * it was trained.
 */
export function runParams(
  model: Pick<TrainedModel, 'kind'>,
  options: TrainOptions,
  overrides?: Readonly<Record<string, ParamValue>>,
) {
  return {
    ...MODEL_KINDS[model.kind].create(options, overrides).params,
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
    files: modelFiles(pipeline),
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
    flavors: onnxFlavors(),
    mlflowVersion: PYTHON_SIDE.mlflow,
    pythonEnv: { python: PYTHON_SIDE.python, requirements: PYTHON_SIDE.requirements },
    // The graph's inputs are these double columns (one float64 [N] input each) and its outputs
    // these two, one value per row: what the onnx pyfunc feeds and frames (SPEC §10.2).
    signature: {
      inputs: signatureInputs(pipeline.inputSchema),
      outputs: [
        { name: ONNX_OUTPUTS.prediction, type: 'long' as const },
        { name: ONNX_OUTPUTS.probability, type: 'double' as const },
      ],
    },
    inputExample: projectRecords(pipeline.inputSchema, context.data.test.rows.slice(0, 2)),
  });
}
