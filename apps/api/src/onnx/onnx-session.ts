import type { InferenceSession, Tensor } from 'onnxruntime-node';

/** The parts of onnxruntime-node the API uses (the module is loaded only when an ONNX model is served). */
export interface Ort {
  InferenceSession: {
    create(bytes: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  Tensor: typeof Tensor;
  /** onnxruntime-node's version (`1.30.0`). */
  version: string;
}

let loading: Promise<Ort> | undefined;

/**
 * onnxruntime-node, imported on first use: a process that serves heart's JS model never loads its
 * ~45 MB native addon. Telemetry is off unless the environment says otherwise.
 *
 * @example
 * const ort = await loadOrt(); // ort.version === '1.30.0'
 */
export function loadOrt(): Promise<Ort> {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  loading ??= import('onnxruntime-node').then(
    (module) => ({
      InferenceSession: module.InferenceSession,
      Tensor: module.Tensor,
      version: module.env.versions.node ?? module.env.versions.common ?? 'unknown',
    }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

const OPTIMIZATION = { 0: 'disabled', 1: 'basic', 2: 'extended', 99: 'all' } as const;

/**
 * The session options of a model: one thread each (the event loop and the load share the
 * cores; each request is small), sequential execution, every graph optimisation — unless the
 * MLmodel's `onnx_session_options` says otherwise (`intra_op_num_threads`,
 * `inter_op_num_threads`, `execution_mode`, `graph_optimization_level`, as MLflow reads them).
 *
 * @example
 * sessionOptions({ intra_op_num_threads: 2 }); // { intraOpNumThreads: 2, interOpNumThreads: 1, … }
 */
export function sessionOptions(settings: unknown): InferenceSession.SessionOptions {
  const given =
    settings !== null && typeof settings === 'object' ? (settings as Record<string, unknown>) : {};
  const threads = (value: unknown) =>
    Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 64
      ? (value as number)
      : 1;
  const mode = String(given.execution_mode ?? '').toLowerCase();
  const level = given.graph_optimization_level;
  return {
    intraOpNumThreads: threads(given.intra_op_num_threads),
    interOpNumThreads: threads(given.inter_op_num_threads),
    executionMode: mode.includes('parallel') ? 'parallel' : 'sequential',
    graphOptimizationLevel:
      typeof level === 'number' && level in OPTIMIZATION
        ? OPTIMIZATION[level as keyof typeof OPTIMIZATION]
        : 'all',
  };
}
