import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTrackingClient } from '@heart/mlflow';
import {
  isHeartError,
  loadPipelineDir,
  type Pipeline,
  PipelineError,
  readPipelineFiles,
  signatureInputs,
} from '@heart/pipeline';
import { type ModelBundle, makeBundle, type PipelineBundle, type Served } from './model-bundle.js';
import { ModelLoadError } from './model-load-error.js';
import { chooseRuntime, loadOnnxModel, type ModelRuntime } from './onnx/load-onnx.js';
import { readMlmodel } from './onnx/mlmodel.js';
import { LEGACY_INPUT_SCHEMA } from './schemas.js';

const TRAIN_HINT = 'run `pnpm turbo run train` to produce models/';
/** `MODEL_MAX_BYTES`'s default: 64 MiB. */
const DEFAULT_MAX_BYTES = 64 * 1_048_576;

/** Options of the loaders. */
export interface LoadOptions {
  /** Most rows one batch may carry (the batch validator's limit). Default 1000. */
  batchLimit?: number;
  /** Largest model file, bytes. */
  maxBytes?: number;
  /**
   * Which predictor runs an MLflow model (`MODEL_RUNTIME`): `js` (heart's pipeline) or `onnx`
   * (onnxruntime on its onnx flavor). Default: `js` when the model has the heart flavor, else `onnx`.
   */
  runtime?: ModelRuntime;
}

/** Reads and checks the pipeline in `dir` (`best_model.json`, `preprocessor.json`, `metadata.json`). */
export async function loadBundleFromDir(
  dir: string,
  options: LoadOptions = {},
): Promise<PipelineBundle> {
  const started = performance.now();
  const pipeline = await loadPipelineDir(dir, {
    legacyInputSchema: LEGACY_INPUT_SCHEMA,
    ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
  }).catch((error: unknown) => {
    throw asLoadError(error, dir, TRAIN_HINT);
  });
  return makeBundle(
    { pipeline },
    { source: dir, started, batchLimit: options.batchLimit ?? 1000 },
  ) as PipelineBundle;
}

/** Options of {@link loadBundleFromMlflow}. */
export interface MlflowLoadOptions extends LoadOptions {
  /** Folder relative tracking URIs resolve against. */
  root: string;
  /** Where downloaded models are cached (by name and version, or run and path). */
  cacheDir: string;
  /** Where @heart/mlflow reads `MLFLOW_*` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * Loads the model an MLflow URI names — `models:/<name>@<alias>`, `models:/<name>/<version>`,
 * `runs:/<run>/<path>` — through @heart/mlflow on whatever tracking URI it reads (a file store or a
 * server): resolved as MLflow resolves it, downloaded into the cache (verified complete), then
 * checked as a pipeline or an ONNX graph (see {@link LoadOptions.runtime}).
 */
export async function loadBundleFromMlflow(
  uri: string,
  options: MlflowLoadOptions,
): Promise<ModelBundle> {
  const started = performance.now();
  const client = createTrackingClient({
    cwd: options.root,
    ...(options.env ? { env: options.env } : {}),
  });
  let downloaded: Awaited<ReturnType<typeof client.registry.downloadModel>>;
  let served: Served;
  try {
    downloaded = await client.registry
      .downloadModel(uri, { cacheDir: options.cacheDir })
      .catch((error: unknown) => {
        throw new ModelLoadError(
          `${uri} cannot be loaded from ${client.trackingUri}: ${(error as Error).message}`,
          uri,
          { cause: error },
        );
      });
    served = await loadFolder(downloaded.path, uri, options);
    const { pipeline } = served;
    const runId = downloaded.runId ?? downloaded.version?.runId;
    if (pipeline && !pipeline.training.mlflow && runId)
      pipeline.training = await trainingOfRun(client, runId, uri);
  } finally {
    await client.close();
  }
  const alias = /^models:\/[^/@]+@(.+)$/.exec(uri)?.[1];
  const version = downloaded.version;
  return makeBundle(served, {
    source: uri,
    started,
    batchLimit: options.batchLimit ?? 1000,
    runId: downloaded.runId ?? version?.runId ?? null,
    ...(version
      ? {
          registeredModel: {
            name: version.name,
            version: version.version,
            ...(alias ? { alias } : {}),
          },
        }
      : {}),
  });
}

/** Loads an MLflow model folder given by its path (what `mlflow models serve -m <path>` takes). */
export async function loadBundleFromFolder(
  folder: string,
  options: LoadOptions = {},
): Promise<ModelBundle> {
  const started = performance.now();
  const served = await loadFolder(folder, folder, options);
  return makeBundle(served, { source: folder, started, batchLimit: options.batchLimit ?? 1000 });
}

/**
 * The model in an MLflow model folder, as the runtime asks: heart's pipeline for the JS
 * predictor, or the onnx flavor's graph (fed heart's input schema when the heart flavor is there).
 */
async function loadFolder(folder: string, where: string, options: LoadOptions): Promise<Served> {
  const mlmodel = await readMlmodel(folder);
  const runtime = chooseRuntime(folder, mlmodel, options.runtime);
  if (runtime === 'js' || !mlmodel)
    return { pipeline: await loadPipelineFolder(folder, where, options) };
  const pipeline = mlmodel.flavors.heart
    ? await loadPipelineFolder(folder, where, options)
    : undefined;
  const columns = pipeline && signatureInputs(pipeline.inputSchema);
  const { model, digest } = await loadOnnxModel(folder, mlmodel, {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    ...(columns ? { signature: { kind: 'columns', columns } } : {}),
  });
  return { pipeline, onnx: model, digest };
}

/** A model logged before models carried their training summary: take it from its run. */
async function trainingOfRun(
  client: ReturnType<typeof createTrackingClient>,
  runId: string,
  uri: string,
): Promise<Pipeline['training']> {
  const run = await client.getRun(runId);
  return {
    runName: run.info.runName,
    metrics: Object.fromEntries(run.data.metrics.map((metric) => [metric.key, metric.value])),
    params: Object.fromEntries(run.data.params.map((param) => [param.key, param.value])),
    mlflow: { trackingUri: client.trackingUri, runId, modelUri: uri },
    createdAt: new Date(run.info.endTime ?? run.info.startTime).toISOString(),
  };
}

/** The pipeline in a downloaded MLflow model folder (`model.json`, `preprocessor.json`, …). */
async function loadPipelineFolder(
  folder: string,
  uri: string,
  options: LoadOptions,
): Promise<Pipeline> {
  return readPipelineFiles(
    (name) =>
      readFile(join(folder, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      }),
    'mlflow-model',
    {
      where: uri,
      legacyInputSchema: LEGACY_INPUT_SCHEMA,
      ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
    },
  ).catch((error: unknown) => {
    throw asLoadError(error, uri);
  });
}

/** A pipeline's coded error as a load error naming its file, with the hint to train. */
function asLoadError(error: unknown, where: string, hint?: string): unknown {
  if (error instanceof ModelLoadError || !isHeartError(error)) return error;
  const file = error instanceof PipelineError && error.source ? error.source : where;
  const message = hint ? `${error.message}; ${hint}` : error.message;
  return new ModelLoadError(message, file, { cause: error });
}
