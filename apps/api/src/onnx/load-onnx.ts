import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { ApiError } from '../errors.js';
import { ModelLoadError } from '../model-load-error.js';
import type { Patient } from '../score-patient.js';
import type { Mlmodel } from './mlmodel.js';
import { OnnxModel } from './onnx-model.js';
import { feedPlan, graphTensors, impliedSignature, outputPlan, PlanError } from './onnx-plan.js';
import { loadOrt, sessionOptions } from './onnx-session.js';
import { parseSignatureInputs, type SignatureInputs } from './onnx-signature.js';

/** Which predictor runs a model: heart's JS pipeline, or onnxruntime on its ONNX graph. */
export type ModelRuntime = 'js' | 'onnx';

/**
 * The runtime that serves a folder: `MODEL_RUNTIME` when given, else heart's JS predictor for a
 * model with the heart flavor and onnxruntime for one with only the onnx flavor. A folder without
 * `MLmodel` is a heart pipeline. A runtime the model has no flavor for is a {@link ModelLoadError}.
 *
 * @example
 * chooseRuntime(folder, mlmodel, undefined); // 'js' for heart's logged models (heart + onnx flavors)
 */
export function chooseRuntime(
  folder: string,
  mlmodel: Mlmodel | undefined,
  asked: ModelRuntime | undefined,
): ModelRuntime {
  if (!mlmodel) {
    if (asked === 'onnx') {
      const file = join(folder, 'MLmodel');
      throw new ModelLoadError(
        `${file} is missing: MODEL_RUNTIME=onnx serves the onnx flavor of an MLflow model`,
        file,
      );
    }
    return 'js';
  }
  const { heart, onnx } = mlmodel.flavors;
  const runtime = asked ?? (heart ? 'js' : 'onnx');
  if (runtime === 'onnx' && !onnx) {
    const flavors = Object.keys(mlmodel.flavors).join(', ') || 'none';
    throw new ModelLoadError(
      `${mlmodel.file} has no onnx flavor (flavors: ${flavors}); heart serves its own models (heart) and ONNX graphs (onnx)${heart ? '; leave MODEL_RUNTIME unset to run the heart flavor' : ''}`,
      mlmodel.file,
    );
  }
  if (runtime === 'js' && !heart) {
    throw new ModelLoadError(
      `${mlmodel.file} has no heart flavor, so heart's JS predictor cannot run it; leave MODEL_RUNTIME unset (or onnx) to serve its onnx flavor`,
      mlmodel.file,
    );
  }
  return runtime;
}

/** The graph file the onnx flavor names (`data`, default `model.onnx`), which must lie inside the folder. */
function graphFile(folder: string, mlmodel: Mlmodel): string {
  const data = mlmodel.flavors.onnx?.data ?? 'model.onnx';
  const file = resolve(folder, String(data));
  const inside = relative(folder, file);
  if (typeof data !== 'string' || inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new ModelLoadError(
      `${mlmodel.file}: flavors.onnx.data must name a file inside the model folder, got ${JSON.stringify(data)}`,
      mlmodel.file,
    );
  }
  return file;
}

async function readGraph(file: string, maxBytes: number): Promise<Buffer> {
  const size = await stat(file).then(
    (info) => info.size,
    (error: NodeJS.ErrnoException) => {
      throw new ModelLoadError(
        error.code === 'ENOENT' ? `${file} is missing` : `${file} cannot be read: ${error.message}`,
        file,
        { cause: error },
      );
    },
  );
  if (size > maxBytes) {
    throw new ModelLoadError(
      `${file} is ${size} bytes, over MODEL_MAX_BYTES (${maxBytes}); raise MODEL_MAX_BYTES to serve it`,
      file,
    );
  }
  return readFile(file);
}

/** One row of zeros in the signature's shape: the probe every graph answers once before it serves. */
function probeRow(signature: SignatureInputs): Patient {
  if (signature.kind === 'tensor') return { [signature.name]: new Array(signature.width).fill(0) };
  return Object.fromEntries(signature.columns.map((column) => [column.name, 0]));
}

/** Options of {@link loadOnnxModel}. */
export interface OnnxLoadOptions {
  /** Largest `model.onnx`, bytes (`MODEL_MAX_BYTES`). */
  maxBytes: number;
  /** The columns to feed instead of the MLmodel signature's (heart's own input schema). */
  signature?: SignatureInputs;
}

async function createSession(file: string, bytes: Buffer, settings: unknown) {
  const ort = await loadOrt().catch((error: unknown) => {
    throw new ModelLoadError(
      `onnxruntime-node cannot be loaded to run ${file}: ${(error as Error).message}`,
      file,
      { cause: error },
    );
  });
  const session = await ort.InferenceSession.create(bytes, sessionOptions(settings)).catch(
    (error: unknown) => {
      throw new ModelLoadError(`onnxruntime refuses ${file}: ${(error as Error).message}`, file, {
        cause: error,
      });
    },
  );
  return { ort, session };
}

/**
 * Loads the onnx flavor of an MLflow model folder: the graph file (at most `maxBytes`), an
 * onnxruntime session on it (one per loaded model), how its inputs are fed from the signature
 * (or from the graph's own inputs when there is none) and which outputs answer; then one probe
 * row through it. Anything that does not fit is a {@link ModelLoadError} naming the file and
 * what is wrong; the session is released again.
 *
 * @example
 * const { model, digest } = await loadOnnxModel(folder, mlmodel, { maxBytes: 64 * 1_048_576 });
 */
export async function loadOnnxModel(
  folder: string,
  mlmodel: Mlmodel,
  options: OnnxLoadOptions,
): Promise<{ model: OnnxModel; digest: string }> {
  const file = graphFile(folder, mlmodel);
  const bytes = await readGraph(file, options.maxBytes);
  let signature: SignatureInputs | undefined;
  try {
    signature = options.signature ?? parseSignatureInputs(mlmodel.signature.inputs);
  } catch (error) {
    throw new ModelLoadError(`${mlmodel.file}: ${(error as Error).message}`, mlmodel.file);
  }
  const { ort, session } = await createSession(
    file,
    bytes,
    mlmodel.flavors.onnx?.onnx_session_options,
  );
  try {
    const model = planned(session, { ort, signature, file, bytes: bytes.length });
    await model.run([probeRow(model.signature)]).catch((error: unknown) => {
      // A graph that answers NaN for zeros still answers; any other failure is the graph's.
      if (!(error instanceof ApiError))
        throw new PlanError(`it fails on a probe row of zeros: ${(error as Error).message}`);
    });
    return { model, digest: createHash('sha256').update(bytes).digest('hex') };
  } catch (error) {
    await session.release().catch(() => undefined);
    if (error instanceof PlanError)
      throw new ModelLoadError(`${file}: ${error.message}`, file, { cause: error });
    throw error;
  }
}

function planned(
  session: InferenceSession,
  parts: {
    ort: Awaited<ReturnType<typeof loadOrt>>;
    signature: SignatureInputs | undefined;
    file: string;
    bytes: number;
  },
): OnnxModel {
  const inputs = graphTensors(session.inputMetadata);
  const outputs = graphTensors(session.outputMetadata);
  const signature = parts.signature ?? impliedSignature(inputs);
  return new OnnxModel({
    ...parts,
    session,
    signature,
    feed: feedPlan(inputs, signature),
    output: outputPlan(outputs),
    graph: { inputs, outputs },
  });
}
