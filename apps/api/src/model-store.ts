import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTrackingClient } from '@heart/mlflow';
import {
  isHeartError,
  loadPipelineDir,
  type Pipeline,
  PipelineError,
  readPipelineFiles,
} from '@heart/pipeline';
import { LEGACY_INPUT_SCHEMA } from './schemas.js';
import { compileValidators, type Validators } from './validators.js';

/** What the service serves: one pipeline, the validators of its input schema, and where it came from. */
export interface ModelBundle {
  pipeline: Pipeline;
  /** The classifier's kind (`random-forest`). */
  kind: string;
  runId: string | null;
  /** sha256 (first 12 hex) of the model and preprocessor JSON. */
  version: string;
  /** Request validators compiled from the pipeline's input schema. */
  validators: Validators;
  /** The registered model version served, when loaded through `models:/`. */
  registeredModel?: { name: string; version: string; alias?: string };
  source: string;
  loadedAt: string;
  loadSeconds: number;
}

/** A model that cannot be served, with the file at fault and what to do. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const TRAIN_HINT = 'run `pnpm turbo run train` to produce models/';

/** Options of the loaders. */
export interface LoadOptions {
  /** Most rows one batch may carry (the batch validator's limit). Default 1000. */
  batchLimit?: number;
  /** Largest model file, bytes. */
  maxBytes?: number;
}

/** Reads and checks the pipeline in `dir` (`best_model.json`, `preprocessor.json`, `metadata.json`). */
export async function loadBundleFromDir(
  dir: string,
  options: LoadOptions = {},
): Promise<ModelBundle> {
  const started = performance.now();
  const pipeline = await loadPipelineDir(dir, {
    legacyInputSchema: LEGACY_INPUT_SCHEMA,
    ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
  }).catch((error: unknown) => {
    throw asLoadError(error, dir, TRAIN_HINT);
  });
  return bundle(pipeline, { source: dir, started, batchLimit: options.batchLimit ?? 1000 });
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
 * checked as a pipeline.
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
  let pipeline: Pipeline;
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
    pipeline = await loadPipelineFolder(downloaded.path, uri, options);
    const runId = downloaded.runId ?? downloaded.version?.runId;
    if (!pipeline.training.mlflow && runId)
      pipeline.training = await trainingOfRun(client, runId, uri);
  } finally {
    await client.close();
  }
  const alias = /^models:\/[^/@]+@(.+)$/.exec(uri)?.[1];
  const version = downloaded.version;
  return bundle(pipeline, {
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
  const pipeline = await loadPipelineFolder(folder, folder, options);
  return bundle(pipeline, { source: folder, started, batchLimit: options.batchLimit ?? 1000 });
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

function bundle(
  pipeline: Pipeline,
  context: {
    source: string;
    started: number;
    batchLimit: number;
    runId?: string | null;
    registeredModel?: ModelBundle['registeredModel'];
  },
): ModelBundle {
  return {
    pipeline,
    kind: pipeline.classifier.kind,
    runId: context.runId ?? pipeline.training.mlflow?.runId ?? null,
    ...(context.registeredModel ? { registeredModel: context.registeredModel } : {}),
    version: createHash('sha256')
      .update(JSON.stringify(pipeline.classifier))
      .update('\0')
      .update(JSON.stringify(pipeline.preprocessor))
      .digest('hex')
      .slice(0, 12),
    validators: compileValidators(pipeline.inputSchema, context.batchLimit),
    source: context.source,
    loadedAt: new Date().toISOString(),
    loadSeconds: (performance.now() - context.started) / 1000,
  };
}

/** A pipeline's coded error as a load error naming its file, with the hint to train. */
function asLoadError(error: unknown, where: string, hint?: string): unknown {
  if (error instanceof ModelLoadError || !isHeartError(error)) return error;
  const file = error instanceof PipelineError && error.source ? error.source : where;
  const message = hint ? `${error.message}; ${hint}` : error.message;
  return new ModelLoadError(message, file, { cause: error });
}
