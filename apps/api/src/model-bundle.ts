import { createHash } from 'node:crypto';
import type { Pipeline } from '@heart/pipeline';
import type { OnnxModel } from './onnx/onnx-model.js';
import { columnSchema } from './onnx/onnx-signature.js';
import { compileTensorValidators, compileValidators, type Validators } from './validators.js';

/** What every served model carries: what it is, its request checks, where it came from. */
interface BundleInfo {
  /** The classifier's kind (`random-forest`), or `onnx` for an ONNX graph without heart's flavor. */
  kind: string;
  runId: string | null;
  /** sha256 (first 12 hex) of the model and preprocessor JSON, or of `model.onnx`. */
  version: string;
  /** Request validators compiled from the model's input schema (the pipeline's, or the signature's). */
  validators: Validators;
  /** The registered model version served, when loaded through `models:/`. */
  registeredModel?: { name: string; version: string; alias?: string };
  source: string;
  loadedAt: string;
  loadSeconds: number;
}

/** heart's own model, run by its JS predictor (synchronously: the hot path). */
export interface PipelineBundle extends BundleInfo {
  runtime: 'js';
  pipeline: Pipeline;
}

/** An ONNX graph run by onnxruntime: heart's own model's (`pipeline` set) or one built elsewhere. */
export interface OnnxBundle extends BundleInfo {
  runtime: 'onnx';
  onnx: OnnxModel;
  /** heart's pipeline, when the model has the heart flavor too (its schema, training, threshold). */
  pipeline: Pipeline | undefined;
}

/** What the service serves: one model, the validators of its input schema, and where it came from. */
export type ModelBundle = PipelineBundle | OnnxBundle;

/** What was loaded: a pipeline for the JS predictor, or an ONNX graph (with heart's pipeline, if it has one). */
export type Served =
  | { pipeline: Pipeline; onnx?: undefined }
  | { pipeline: Pipeline | undefined; onnx: OnnxModel; digest: string };

/** Where a loaded model came from and how long it took. */
export interface BundleContext {
  source: string;
  started: number;
  batchLimit: number;
  runId?: string | null;
  registeredModel?: ModelBundle['registeredModel'];
}

const pipelineVersion = (pipeline: Pipeline) =>
  createHash('sha256')
    .update(JSON.stringify(pipeline.classifier))
    .update('\0')
    .update(JSON.stringify(pipeline.preprocessor))
    .digest('hex')
    .slice(0, 12);

function onnxValidators(onnx: OnnxModel, batchLimit: number): Validators {
  const { signature } = onnx;
  return signature.kind === 'tensor'
    ? compileTensorValidators(signature, batchLimit)
    : compileValidators(columnSchema(signature.columns), batchLimit);
}

/**
 * The bundle of a loaded model: its kind and version, its request validators (heart's input
 * schema when the model carries heart's pipeline, else the ONNX signature's), its origin.
 *
 * @example
 * makeBundle({ pipeline }, { source: dir, started: performance.now(), batchLimit: 1000 });
 */
export function makeBundle(served: Served, context: BundleContext): ModelBundle {
  const { pipeline } = served;
  const info = {
    runId: context.runId ?? pipeline?.training.mlflow?.runId ?? null,
    ...(context.registeredModel ? { registeredModel: context.registeredModel } : {}),
    source: context.source,
    loadedAt: new Date().toISOString(),
    loadSeconds: (performance.now() - context.started) / 1000,
  };
  if (!served.onnx) {
    const { batchLimit } = context;
    const validators = compileValidators(served.pipeline.inputSchema, batchLimit);
    const version = pipelineVersion(served.pipeline);
    const kind = served.pipeline.classifier.kind;
    return { runtime: 'js', pipeline: served.pipeline, kind, version, validators, ...info };
  }
  return {
    runtime: 'onnx',
    onnx: served.onnx,
    pipeline,
    kind: pipeline ? pipeline.classifier.kind : 'onnx',
    version: pipeline ? pipelineVersion(pipeline) : served.digest.slice(0, 12),
    validators: pipeline
      ? compileValidators(pipeline.inputSchema, context.batchLimit)
      : onnxValidators(served.onnx, context.batchLimit),
    ...info,
  };
}

/** The threshold the model decides with when none is configured: heart's pipeline's, else none (the graph's own label). */
export const modelThreshold = (bundle: ModelBundle): number | undefined =>
  bundle.pipeline?.threshold;
