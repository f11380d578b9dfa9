import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ApiError } from '../errors.js';
import type { Patient } from '../score-patient.js';
import type { FeedPlan, GraphTensor, OutputPlan } from './onnx-plan.js';
import type { Ort } from './onnx-session.js';
import type { SignatureInputs } from './onnx-signature.js';

/** One output of a run, flattened row-major, integers as numbers. */
export interface OnnxOutput {
  name: string;
  dims: readonly number[];
  values: number[];
}

/** What a run answers: P(positive class) and the label per row, and every fetched output. */
export interface OnnxResult {
  probabilities: number[];
  /** The label output, when the graph has one. */
  labels: number[] | undefined;
  outputs: OnnxOutput[];
}

/** What {@link OnnxModel} is built from (see `loadOnnxModel`). */
export interface OnnxModelParts {
  session: InferenceSession;
  ort: Ort;
  /** The request side: the signature's columns or tensor. */
  signature: SignatureInputs;
  feed: FeedPlan;
  output: OutputPlan;
  graph: { inputs: GraphTensor[]; outputs: GraphTensor[] };
  /** The graph file and its size. */
  file: string;
  bytes: number;
}

/** The values of a request's rows as one `[N, width]` matrix in signature order; NaN = missing. */
function rowMatrix(signature: SignatureInputs, rows: readonly Patient[]): Float64Array {
  const count = rows.length;
  if (signature.kind === 'tensor') {
    const { name, width } = signature;
    const matrix = new Float64Array(count * width);
    for (let i = 0; i < count; i++) matrix.set(rows[i]![name] as readonly number[], i * width);
    return matrix;
  }
  const { columns } = signature;
  const width = columns.length;
  const matrix = new Float64Array(count * width);
  for (let i = 0; i < count; i++) {
    const row = rows[i]!;
    for (let j = 0; j < width; j++) {
      const value = row[columns[j]!.name];
      matrix[i * width + j] = typeof value === 'number' ? value : Number.NaN;
    }
  }
  return matrix;
}

/**
 * One served ONNX graph on its onnxruntime session: rows in, P(positive class), labels and the
 * raw outputs out (asynchronously: onnxruntime runs off the event loop). A swap {@link retire}s
 * the old one; its session is released once the last run on it has finished.
 *
 * @example
 * const { probabilities } = await model.run([{ x1: 0.5, x2: -1.2, x3: 0.3 }]); // [0.358…]
 */
export class OnnxModel {
  readonly signature: SignatureInputs;
  readonly feed: FeedPlan;
  readonly output: OutputPlan;
  readonly graph: OnnxModelParts['graph'];
  readonly file: string;
  readonly bytes: number;
  readonly runtime: string;
  private readonly session: InferenceSession;
  private readonly ort: Ort;
  private inflight = 0;
  private retired = false;
  private released: Promise<void> | undefined;

  constructor(parts: OnnxModelParts) {
    ({ session: this.session, ort: this.ort } = parts);
    ({ signature: this.signature, feed: this.feed, output: this.output } = parts);
    ({ graph: this.graph, file: this.file, bytes: this.bytes } = parts);
    this.runtime = `onnxruntime-node ${parts.ort.version}`;
  }

  /** Scores validated rows (at least one). Rejects with a 400 when the graph answers NaN. */
  async run(rows: readonly Patient[]): Promise<OnnxResult> {
    if (this.released) throw new Error(`${this.file}: the session was released`);
    const count = rows.length;
    const feeds = this.feeds(rowMatrix(this.signature, rows), count);
    this.inflight++;
    let answer: InferenceSession.ReturnType;
    try {
      answer = await this.session.run(feeds, this.output.fetches);
    } finally {
      this.inflight--;
      if (this.retired && this.inflight === 0) void this.release();
    }
    return this.read(answer, count);
  }

  /** Stops serving: the session is released now, or when the runs still on it finish. */
  retire(): void {
    this.retired = true;
    if (this.inflight === 0) void this.release();
  }

  /** Releases the session (once). */
  release(): Promise<void> {
    this.released ??= this.session.release().catch(() => undefined);
    return this.released;
  }

  get isReleased(): boolean {
    return this.released !== undefined;
  }

  private feeds(matrix: Float64Array, count: number): Record<string, Tensor> {
    const { Tensor: OrtTensor } = this.ort;
    const plan = this.feed;
    if (plan.kind === 'matrix') {
      const data = plan.type === 'float32' ? Float32Array.from(matrix) : matrix;
      return { [plan.input]: new OrtTensor(plan.type, data, [count, plan.width]) };
    }
    const width = plan.inputs.length;
    // Own keys whatever the graph names its inputs (`__proto__` too).
    return Object.fromEntries(
      plan.inputs.map((input, j) => {
        const column = input.type === 'float32' ? new Float32Array(count) : new Float64Array(count);
        for (let i = 0; i < count; i++) column[i] = matrix[i * width + j]!;
        const shape = input.rank === 1 ? [count] : [count, 1];
        return [input.name, new OrtTensor(input.type, column, shape)];
      }),
    );
  }

  private read(answer: InferenceSession.ReturnType, count: number): OnnxResult {
    const outputs = this.output.fetches.map((name) => {
      const tensor = answer[name] as Tensor;
      const data = tensor.data as ArrayLike<number | bigint>;
      return { name, dims: tensor.dims, values: Array.from(data, Number) };
    });
    const byName = (name: string) => outputs.find((output) => output.name === name)!;
    const { probability, label } = this.output;
    const scores = byName(probability.name);
    const perRow = probability.column === undefined ? 1 : 2;
    if (scores.dims[0] !== count || scores.values.length !== count * perRow) {
      throw new Error(
        `${this.file}: output ${probability.name} has shape [${scores.dims.join(', ')}] for ${count} rows`,
      );
    }
    const probabilities =
      perRow === 1
        ? scores.values
        : Array.from({ length: count }, (_, i) => scores.values[i * 2 + 1]!);
    const missing = probabilities.flatMap((p, row) => (Number.isNaN(p) ? [row] : []));
    if (missing.length > 0) {
      throw new ApiError({
        code: 'VALIDATION_FAILED',
        mlflowCode: 'BAD_REQUEST',
        message: `the model answered NaN for ${missing.length === 1 ? 'row' : 'rows'} ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}: a value it needs is missing (heart never answers NaN)`,
      });
    }
    return { probabilities, labels: label ? byName(label).values : undefined, outputs };
  }
}
