import type { BinnedFeatures } from './binning.js';
import type { GrownTree } from './cart.js';
import type { FeatureInput } from './features.js';
import type { FlatForest } from './flat-forest.js';
import { type ForestSettings, growTreesHere, treeSeeds } from './grow-forest.js';
import { runTasks } from './worker-pool.js';

/**
 * Grows the forest's trees on `workers` threads (on this one when 1) over one shared copy of the
 * binned features and labels; trees come back in index order whatever the schedule, and
 * `onProgress` is called on this thread as each one is done.
 */
export function growForest(
  data: BinnedFeatures,
  labels: Uint8Array,
  settings: ForestSettings,
  workers: number,
  onProgress?: (treesDone: number, treesTotal: number) => void,
): GrownTree[] {
  const total = settings.nEstimators;
  const trees = new Array<GrownTree>(total);
  let done = 0;
  const onTree = (index: number, tree: GrownTree) => {
    trees[index] = tree;
    onProgress?.(++done, total);
  };
  const threads = Math.min(workers, total);
  if (threads <= 1) {
    growTreesHere(data, labels, settings, onTree);
    return trees;
  }
  const shared = new Uint8Array(new SharedArrayBuffer(labels.length));
  shared.set(labels);
  const seeds = treeSeeds(settings.seed, total);
  runTasks({
    workers: threads,
    tasks: total,
    setup: (job) => ({ type: 'grow-setup', job, data: { ...data, labels: shared, settings } }),
    task: (job, index) => ({ type: 'grow', job, index, seed: seeds[index]! }),
    onReply: (reply) => {
      if (reply.type === 'tree') onTree(reply.index, reply.tree);
    },
  });
  return trees;
}

/** Rows scored per worker task. */
const CHUNK_ROWS = 8192;

/** The forest's arrays copied onto SharedArrayBuffers (once per model). */
export function shareForest(forest: FlatForest): FlatForest {
  const copy = <T extends Int32Array | Float64Array>(
    array: T,
    make: (buffer: SharedArrayBuffer) => T,
  ) => {
    const shared = make(new SharedArrayBuffer(array.byteLength));
    shared.set(array);
    return shared;
  };
  return {
    roots: copy(forest.roots, (buffer) => new Int32Array(buffer)),
    feature: copy(forest.feature, (buffer) => new Int32Array(buffer)),
    value: copy(forest.value, (buffer) => new Float64Array(buffer)),
    right: copy(forest.right, (buffer) => new Int32Array(buffer)),
  };
}

/** A chunk's shared blocks: its rows and its probabilities. */
interface Block {
  features: Float64Array;
  out: Float64Array;
  start: number;
  rows: number;
}

/**
 * P(class 1) of every row, scored on `workers` threads in chunks of 8,192 rows: each chunk is
 * copied into a shared block and scored there (blocks are reused once scored: at most two per
 * thread exist, whatever the input's size); the same numbers as on this thread, bit for bit.
 */
export function predictOnWorkers(
  forest: FlatForest,
  input: FeatureInput,
  workers: number,
): Float64Array {
  const { n, p, dense, rows } = input;
  const out = new Float64Array(n);
  const free: Block[] = [];
  const busy = new Map<number, Block>();
  runTasks({
    workers,
    tasks: Math.ceil(n / CHUNK_ROWS),
    setup: (job) => ({ type: 'predict-setup', job, forest }),
    task: (job, index) => {
      const block = free.pop() ?? {
        features: new Float64Array(new SharedArrayBuffer(CHUNK_ROWS * p * 8)),
        out: new Float64Array(new SharedArrayBuffer(CHUNK_ROWS * 8)),
        start: 0,
        rows: 0,
      };
      block.start = index * CHUNK_ROWS;
      block.rows = Math.min(CHUNK_ROWS, n - block.start);
      if (dense)
        block.features.set(dense.subarray(block.start * p, (block.start + block.rows) * p));
      else for (let i = 0; i < block.rows; i++) block.features.set(rows![block.start + i]!, i * p);
      busy.set(index, block);
      const { features, out: probabilities } = block;
      return {
        type: 'predict',
        job,
        index,
        features,
        rows: block.rows,
        columns: p,
        out: probabilities,
      };
    },
    onReply: (reply) => {
      const block = busy.get(reply.index)!;
      busy.delete(reply.index);
      out.set(block.out.subarray(0, block.rows), block.start);
      free.push(block);
    },
  });
  return out;
}
