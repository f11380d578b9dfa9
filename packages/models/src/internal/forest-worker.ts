/**
 * The worker thread of `RandomForest`'s `nJobs`: grows trees and scores rows on the shared
 * memory the main thread gives it, answering on its port and waking the main thread through the
 * shared signal (the main thread waits synchronously: `fit` and `predictProba` stay synchronous).
 * An entry of its own in the build (dist/forest-worker.js).
 */
import { workerData } from 'node:worker_threads';
import type { BinnedFeatures } from './binning.js';
import { scoreRows } from './flat-forest.js';
import { growSeededTree } from './grow-forest.js';
import type { GrowData, Reply, SharedForest, Task, WorkerStart } from './worker-protocol.js';

const { port, signal } = workerData as WorkerStart;
let grow: { job: number; data: BinnedFeatures; source: GrowData } | undefined;
let predict: { job: number; forest: SharedForest } | undefined;

function reply(message: Reply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function handle(task: Task): void {
  switch (task.type) {
    case 'grow-setup': {
      const { n, width, bins, binMin, binMax, binCount, exact } = task.data;
      grow = {
        job: task.job,
        data: { n, width, bins, binMin, binMax, binCount, exact },
        source: task.data,
      };
      return;
    }
    case 'grow': {
      if (grow?.job !== task.job) throw new Error(`no data for job ${task.job}`);
      const tree = growSeededTree(grow.data, grow.source.labels, grow.source.settings, task.seed);
      const buffers = [tree.feature, tree.value, tree.right, tree.importances].map(
        (array) => array.buffer as ArrayBuffer,
      );
      reply({ type: 'tree', job: task.job, index: task.index, tree }, buffers);
      return;
    }
    case 'predict-setup':
      predict = { job: task.job, forest: task.forest };
      return;
    case 'predict': {
      if (predict?.job !== task.job) throw new Error(`no forest for job ${task.job}`);
      scoreRows(predict.forest, task.features, task.columns, task.out, task.rows);
      reply({ type: 'predicted', job: task.job, index: task.index });
      return;
    }
  }
}

port.on('message', (task: Task) => {
  try {
    handle(task);
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    reply({ type: 'error', job: task.job, message, ...(stack ? { stack } : {}) });
  }
});
