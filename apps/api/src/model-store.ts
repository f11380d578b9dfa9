import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FEATURE_COLUMNS } from '@heart/data';
import { createTrackingClient } from '@heart/mlflow';
import { type Classifier, loadModel } from '@heart/models';
import { ColumnPipeline } from '@heart/preprocessing';

/** What the service serves: a model, its preprocessor, and what is known about them. */
export interface ModelBundle {
  model: Classifier;
  preprocessor: ColumnPipeline;
  kind: string;
  runId: string | null;
  /** sha256 (first 12 hex) of the model and preprocessor JSON. */
  version: string;
  metadata: Record<string, unknown>;
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

/** Reads and checks `best_model.json`, `preprocessor.json` and `metadata.json` in `dir`. */
export async function loadBundleFromDir(dir: string): Promise<ModelBundle> {
  const started = performance.now();
  const read = async (name: string): Promise<string> => {
    const file = join(dir, name);
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'is missing'
          : `cannot be read (${(error as Error).message})`;
      throw new ModelLoadError(`${file} ${reason}; ${TRAIN_HINT}`, file, { cause: error });
    }
  };
  // In order, so the message names the first file at fault.
  const modelText = await read('best_model.json');
  const preprocessorText = await read('preprocessor.json');
  const metadataText = await read('metadata.json');
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(metadataText) as Record<string, unknown>;
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))
      throw new Error('not a JSON object');
  } catch (error) {
    const file = join(dir, 'metadata.json');
    throw new ModelLoadError(
      `${file} is corrupt (${(error as Error).message}); ${TRAIN_HINT}`,
      file,
      { cause: error },
    );
  }
  const runId =
    typeof (metadata.mlflow as { runId?: unknown } | undefined)?.runId === 'string'
      ? (metadata.mlflow as { runId: string }).runId
      : null;
  return assemble(
    {
      model: [join(dir, 'best_model.json'), modelText],
      preprocessor: [join(dir, 'preprocessor.json'), preprocessorText],
    },
    { metadata, runId, source: dir, started },
  );
}

/** Reads the model logged in an MLflow run (`runs:/<run_id>/<path>`) through @heart/mlflow. */
export async function loadBundleFromRun(
  uri: string,
  options: { trackingUri?: string; root: string },
): Promise<ModelBundle> {
  const started = performance.now();
  const match = /^runs:\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new ModelLoadError(`MODEL_URI ${uri} is not runs:/<run_id>/<path>`, uri);
  const [, runId, path] = match as unknown as [string, string, string];
  const client = createTrackingClient({ trackingUri: options.trackingUri, cwd: options.root });
  const text = async (name: string) => {
    try {
      return new TextDecoder().decode(await client.readArtifact(runId, `${path}/${name}`));
    } catch (error) {
      throw new ModelLoadError(
        `${uri}/${name} cannot be read from ${client.trackingUri}: ${(error as Error).message}`,
        `${uri}/${name}`,
        { cause: error },
      );
    }
  };
  const [modelText, preprocessorText] = await Promise.all([
    text('model.json'),
    text('preprocessor.json'),
  ]);
  const run = await client.getRun(runId);
  const metadata = {
    mlflow: { trackingUri: client.trackingUri, runId, runName: run.info.runName, modelUri: uri },
    metrics: Object.fromEntries(run.data.metrics.map((metric) => [metric.key, metric.value])),
    params: Object.fromEntries(run.data.params.map((param) => [param.key, param.value])),
    createdAt: new Date(run.info.endTime ?? run.info.startTime).toISOString(),
  };
  return assemble(
    {
      model: [`${uri}/model.json`, modelText],
      preprocessor: [`${uri}/preprocessor.json`, preprocessorText],
    },
    { metadata, runId, source: uri, started },
  );
}

function assemble(
  files: { model: [string, string]; preprocessor: [string, string] },
  context: {
    metadata: Record<string, unknown>;
    runId: string | null;
    source: string;
    started: number;
  },
): ModelBundle {
  const [modelFile, modelText] = files.model;
  const [preprocessorFile, preprocessorText] = files.preprocessor;
  let model: Classifier;
  let preprocessor: ColumnPipeline;
  try {
    model = loadModel(modelText);
  } catch (error) {
    throw new ModelLoadError(
      `${modelFile} is not a model heart can load: ${(error as Error).message}; ${TRAIN_HINT}`,
      modelFile,
      { cause: error },
    );
  }
  try {
    preprocessor = ColumnPipeline.load(preprocessorText);
  } catch (error) {
    throw new ModelLoadError(
      `${preprocessorFile} is not a preprocessor heart can load: ${(error as Error).message}; ${TRAIN_HINT}`,
      preprocessorFile,
      {
        cause: error,
      },
    );
  }
  const modelNames = model.featureNames;
  const preprocessorNames = preprocessor.featureNames;
  if (
    modelNames.length !== preprocessorNames.length ||
    modelNames.some((name, i) => name !== preprocessorNames[i])
  ) {
    throw new ModelLoadError(
      `${modelFile} expects features [${modelNames.join(', ')}] but ${preprocessorFile} produces [${preprocessorNames.join(', ')}]; the two files come from different trainings — ${TRAIN_HINT}`,
      modelFile,
    );
  }
  const unknown = preprocessor.inputColumns.filter(
    (column) => !(FEATURE_COLUMNS as readonly string[]).includes(column),
  );
  if (unknown.length > 0) {
    throw new ModelLoadError(
      `${preprocessorFile} reads columns the API does not accept: ${unknown.join(', ')}`,
      preprocessorFile,
    );
  }
  return {
    model,
    preprocessor,
    kind: model.kind,
    runId: context.runId,
    version: createHash('sha256')
      .update(modelText)
      .update('\0')
      .update(preprocessorText)
      .digest('hex')
      .slice(0, 12),
    metadata: context.metadata,
    source: context.source,
    loadedAt: new Date().toISOString(),
    loadSeconds: (performance.now() - context.started) / 1000,
  };
}
