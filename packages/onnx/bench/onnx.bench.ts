/**
 * @heart/onnx: export time (median of 5 pairs, each the median of 5 exports) and model.onnx size
 * of both models, then prediction latency of the
 * exported graph in onnxruntime-node 1.30 (one thread, as JS has) against heart's JS predictor,
 * interleaved: 5 pairs of (heart, then onnxruntime), each figure a median of timed runs after a
 * warm-up. One row: `pipeline.predictProbaRow(record)` (the serving path) against feeds built from
 * the record + `session.run`; 1,000 rows: `pipeline.predictProba(records)` (schema check
 * included) against feeds + `run`.
 * Run: pnpm --filter @heart/onnx bench     (pnpm bench runs every benchmark, one at a time)
 */
import type { InputRecord, Pipeline } from '@heart/pipeline';
import {
  pairedRows,
  runPairs,
  type Sample,
  spread,
  timeMs,
  writeBenchResults,
} from '@heart/test-support';
import type { InferenceSession } from 'onnxruntime-node';
import { exportOnnx } from '../src/index.js';
import { fittedPipeline, generatedRecords } from '../src/test-support/heart.js';
import { columnFeeds, session } from '../src/test-support/ort.js';

const PAIRS = 5;
/** Timed runs per pair of each figure (after one warm-up), the same on both sides. */
const REPEATS = { one: 5, thousand: 11 };
/** One-row predictions per timed run. */
const CALLS = { heart: 20_000, onnx: 2_000 };
const KINDS = ['lr', 'rf'] as const;
const NAMES = { lr: 'LR', rf: 'RF (100 trees)' };

interface Subject {
  pipeline: Pipeline;
  session: InferenceSession;
  one: InputRecord[];
  thousand: InputRecord[];
  exportMs: number[];
  bytes: number;
}

async function subject(kind: (typeof KINDS)[number]): Promise<Subject> {
  const { pipeline, rows } = await fittedPipeline(kind);
  const bytes = exportOnnx(pipeline);
  const exportMs = Array.from({ length: PAIRS }, () => timeMs(5, () => exportOnnx(pipeline)));
  const thousand = generatedRecords(pipeline.inputSchema, 1000, { like: rows, seed: 3 });
  return {
    pipeline,
    session: await session(bytes),
    one: [rows[0]!],
    thousand,
    exportMs,
    bytes: bytes.length,
  };
}

/** The median ms of `repeats` runs of an async `fn`, after one warm-up. */
async function timeAsyncMs(repeats: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const runs: number[] = [];
  for (let run = 0; run < repeats; run++) {
    const start = performance.now();
    await fn();
    runs.push(performance.now() - start);
  }
  return spread(runs).median;
}

const subjects = { lr: await subject('lr'), rf: await subject('rf') };

function heart(): Sample {
  const sample: Sample = {};
  for (const kind of KINDS) {
    const { pipeline, one, thousand } = subjects[kind];
    sample[`${kind}_1`] =
      timeMs(REPEATS.one, () => {
        for (let call = 0; call < CALLS.heart; call++) pipeline.predictProbaRow(one[0]!);
      }) / CALLS.heart;
    sample[`${kind}_1000`] = timeMs(REPEATS.thousand, () => pipeline.predictProba(thousand));
  }
  return sample;
}

async function onnxruntime(): Promise<Sample> {
  const sample: Sample = {};
  for (const kind of KINDS) {
    const { pipeline, session: model, one, thousand } = subjects[kind];
    const schema = pipeline.inputSchema;
    sample[`${kind}_1`] =
      (await timeAsyncMs(REPEATS.one, async () => {
        for (let call = 0; call < CALLS.onnx; call++) await model.run(columnFeeds(schema, one));
      })) / CALLS.onnx;
    sample[`${kind}_1000`] = await timeAsyncMs(REPEATS.thousand, () =>
      model.run(columnFeeds(schema, thousand)),
    );
  }
  return sample;
}

const FIGURES = KINDS.flatMap((kind) => [
  { key: `${kind}_1`, figure: `${NAMES[kind]} predict, 1 row`, unit: 'ms' },
  { key: `${kind}_1000`, figure: `${NAMES[kind]} predict, 1,000 rows`, unit: 'ms' },
]);

console.log(`@heart/onnx: heart (JS) vs onnxruntime-node 1.30.0 (1 thread), ${PAIRS} pairs`);
const notes = KINDS.map((kind) => {
  const { bytes, exportMs } = subjects[kind];
  const time = spread(exportMs);
  return `${NAMES[kind]}: exportOnnx ${time.median.toFixed(2)} ms (${time.min.toFixed(2)}–${time.max.toFixed(2)}, ${time.runs} runs of 5), model.onnx ${bytes.toLocaleString('en-US')} bytes`;
});
for (const note of notes) console.log(note);
const samples = await runPairs({ pairs: PAIRS, heart, baseline: onnxruntime });
const paired = pairedRows(samples, FIGURES, 'onnxruntime-node 1.30.0');
writeBenchResults('onnx', paired, notes);
