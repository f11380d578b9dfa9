import type { ModelBundle } from './model-store.js';

/** Which model answered: in every prediction and in `/ready`. */
export interface ModelRef {
  kind: string;
  runId: string | null;
  version: string;
  /** The registered model version served, when loaded through `models:/`. */
  registeredVersion?: string;
}

/**
 * The short reference to the model that answered.
 *
 * @example
 * modelRef(bundle); // { kind: 'random-forest', runId: 'd07a…', version: '0f751f66b342' }
 */
export function modelRef(bundle: ModelBundle): ModelRef {
  return {
    kind: bundle.kind,
    runId: bundle.runId,
    version: bundle.version,
    ...(bundle.registeredModel ? { registeredVersion: bundle.registeredModel.version } : {}),
  };
}

const refJson = new WeakMap<ModelBundle, string>();

/**
 * {@link modelRef} as JSON, serialised once per bundle (the hot path splices it into its answer).
 *
 * @example
 * `{"prediction":1,"model":${modelRefJson(bundle)}}`;
 */
export function modelRefJson(bundle: ModelBundle): string {
  let json = refJson.get(bundle);
  if (json === undefined) {
    json = JSON.stringify(modelRef(bundle));
    refJson.set(bundle, json);
  }
  return json;
}

/**
 * The `GET /model` answer: what is served (kind, version, source, load time, threshold), how it
 * was trained (metrics, CV, params, training time, MLflow run, data), the features the model
 * reads, and the input fields with what each allows — all from the served pipeline.
 *
 * @example
 * modelCard(bundle, 0.5).input[0]; // { name: 'age', description: '…', required: true, minimum: 1, maximum: 120 }
 */
export function modelCard(bundle: ModelBundle, threshold: number): Record<string, unknown> {
  const { pipeline } = bundle;
  const training = pipeline.training;
  return {
    ...modelRef(bundle),
    registeredModel: bundle.registeredModel ?? null,
    source: bundle.source,
    loadedAt: bundle.loadedAt,
    loadSeconds: bundle.loadSeconds,
    threshold,
    metrics: training.metrics ?? null,
    cv: training.cv ?? null,
    params: training.params ?? pipeline.classifier.params,
    trainingSeconds: training.trainingSeconds ?? null,
    trainedAt: training.createdAt ?? null,
    mlflow: training.mlflow ?? null,
    data: training.data ?? null,
    featureNames: pipeline.featureNames,
    input: pipeline.inputSchema.map((field) => ({
      name: field.name,
      ...(field.description === undefined ? {} : { description: field.description }),
      required: !field.nullable,
      ...(field.kind === 'categorical'
        ? { allowed: field.values }
        : { minimum: field.min, maximum: field.max }),
    })),
  };
}
