import { createHash } from 'node:crypto';
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

/** Reads the model logged in an MLflow run (`runs:/<run_id>/<path>`) through @heart/mlflow. */
export async function loadBundleFromRun(
  uri: string,
  options: LoadOptions & { trackingUri?: string; root: string },
): Promise<ModelBundle> {
  const started = performance.now();
  const match = /^runs:\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new ModelLoadError(`MODEL_URI ${uri} is not runs:/<run_id>/<path>`, uri);
  const [, runId, path] = match as unknown as [string, string, string];
  const client = createTrackingClient({ trackingUri: options.trackingUri, cwd: options.root });
  const read = async (name: string) => {
    try {
      return await client.readArtifact(runId, `${path}/${name}`);
    } catch (error) {
      // A model logged before metadata.json existed has none: the pipeline falls back.
      if (name === 'metadata.json') return undefined;
      throw new ModelLoadError(
        `${uri}/${name} cannot be read from ${client.trackingUri}: ${(error as Error).message}`,
        `${uri}/${name}`,
        { cause: error },
      );
    }
  };
  const pipeline = await readPipelineFiles(read, 'mlflow-model', {
    where: uri,
    legacyInputSchema: LEGACY_INPUT_SCHEMA,
    ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
  }).catch((error: unknown) => {
    throw asLoadError(error, uri);
  });
  if (!pipeline.training.mlflow) {
    // Logged before models carried their training summary: take it from the run.
    const run = await client.getRun(runId);
    pipeline.training = {
      runName: run.info.runName,
      metrics: Object.fromEntries(run.data.metrics.map((metric) => [metric.key, metric.value])),
      params: Object.fromEntries(run.data.params.map((param) => [param.key, param.value])),
      mlflow: { trackingUri: client.trackingUri, runId, modelUri: uri },
      createdAt: new Date(run.info.endTime ?? run.info.startTime).toISOString(),
    };
  }
  return bundle(pipeline, { source: uri, started, batchLimit: options.batchLimit ?? 1000 });
}

function bundle(
  pipeline: Pipeline,
  context: { source: string; started: number; batchLimit: number },
): ModelBundle {
  return {
    pipeline,
    kind: pipeline.classifier.kind,
    runId: pipeline.training.mlflow?.runId ?? null,
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
