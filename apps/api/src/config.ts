import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { findRepoRoot, redactUri } from '@heart/internal';
import type { ModelRuntime } from './onnx/load-onnx.js';

/** The service's settings, from the environment. */
export interface ApiConfig {
  host: string;
  port: number;
  /** Largest request body, bytes. */
  bodyLimit: number;
  /** Most rows one /predict/batch may carry. */
  batchLimit: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Folder with best_model.json, preprocessor.json, metadata.json. */
  modelDir: string;
  /**
   * An MLflow model URI to serve instead of `modelDir`: `models:/<name>@<alias>`,
   * `models:/<name>/<version>`, `runs:/<run_id>/<path>` (on the tracking URI @heart/mlflow reads
   * from `MLFLOW_TRACKING_URI`, else ./mlruns at the root), or a model folder's path.
   */
  modelUri: string | undefined;
  /** How often a `models:/` URI is checked for a new version, ms; 0: never. */
  pollMs: number;
  /** Where downloaded MLflow models are cached. */
  cacheDir: string;
  /** Probability ≥ threshold → prediction 1. Default: the served pipeline's (0.5 unless trained otherwise). */
  threshold: number | undefined;
  /** Folder relative paths resolve against. */
  root: string;
  /** Largest model file loaded, bytes (`MODEL_MAX_BYTES`). */
  maxBytes: number;
  /** Processes serving the port (`WORKERS`; `auto`: one per core). */
  workers: number;
  /** The name the model is served under when it does not come from the registry (OIP paths). */
  modelName: string;
  /**
   * `MODEL_RUNTIME`: `js` runs heart's pipeline, `onnx` the model's onnx flavor through
   * onnxruntime; unset: heart's JS predictor for models with the heart flavor, onnx otherwise.
   */
  runtime: ModelRuntime | undefined;
}

const MODEL_URI = /^(models:\/[^/@]+(@[\w-]+|\/[^/]+)|runs:\/[0-9a-zA-Z][\w-]*\/.+|file:\/\/.+)$/;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and checks the environment; throws {@link ConfigError} naming the variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ApiConfig {
  const root = findRepoRoot(cwd, env.HEART_ROOT);
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as ApiConfig['logLevel'])) {
    throw new ConfigError(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`,
    );
  }
  const threshold =
    env.PREDICTION_THRESHOLD === undefined || env.PREDICTION_THRESHOLD === ''
      ? undefined
      : Number(env.PREDICTION_THRESHOLD);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
    throw new ConfigError(
      `PREDICTION_THRESHOLD must be a number from 0 to 1, got "${env.PREDICTION_THRESHOLD}"`,
    );
  }
  const modelUri = env.MODEL_URI || undefined;
  if (
    modelUri !== undefined &&
    /^[a-z][a-z0-9+.-]*:/i.test(modelUri) &&
    !MODEL_URI.test(modelUri)
  ) {
    throw new ConfigError(
      `MODEL_URI must be models:/<name>@<alias>, models:/<name>/<version>, runs:/<run_id>/<path> or a model folder, got "${redactUri(modelUri)}"`,
    );
  }
  const workers = env.WORKERS === 'auto' ? availableParallelism() : integer('WORKERS', 1, 1, 64);
  const runtime = modelRuntime(env.MODEL_RUNTIME, modelUri);
  return {
    host: env.HOST || '127.0.0.1',
    port: integer('PORT', 8000, 0, 65_535),
    bodyLimit: integer('BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
    batchLimit: integer('BATCH_LIMIT', 1000, 1, 100_000),
    logLevel: logLevel as ApiConfig['logLevel'],
    modelDir: resolve(root, env.MODEL_DIR || 'models'),
    modelUri,
    pollMs: integer('MODEL_POLL_SECONDS', 30, 0, 86_400) * 1000,
    cacheDir: resolve(root, env.MODEL_CACHE_DIR || '.heart/model-cache'),
    threshold,
    root,
    maxBytes: integer('MODEL_MAX_BYTES', 64 * 1_048_576, 1024, 1024 * 1_048_576),
    workers,
    modelName: /^models:\/([^/@]+)/.exec(modelUri ?? '')?.[1] ?? 'heart-disease',
    runtime,
  };
}

/** `MODEL_RUNTIME`: `js`, `onnx` (which needs an MLflow model: `MODEL_URI`), or unset. */
function modelRuntime(
  raw: string | undefined,
  modelUri: string | undefined,
): ModelRuntime | undefined {
  if (raw === undefined || raw === '') return undefined;
  const runtime = raw.toLowerCase();
  if (runtime !== 'js' && runtime !== 'onnx') {
    throw new ConfigError(`MODEL_RUNTIME must be js or onnx, got "${raw}"`);
  }
  if (runtime === 'onnx' && modelUri === undefined) {
    throw new ConfigError(
      'MODEL_RUNTIME=onnx serves the onnx flavor of an MLflow model: set MODEL_URI too (models/ holds no ONNX graph)',
    );
  }
  return runtime;
}
