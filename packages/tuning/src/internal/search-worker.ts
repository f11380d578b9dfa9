/**
 * The worker thread of a search's `nJobs`: fits candidates on the folds the main thread shares
 * with it and replies with each one's score and times. An entry of its own in the build
 * (dist/search-worker.js).
 */
import { parentPort } from 'node:worker_threads';
import type { EstimatorSpec } from '../estimators.js';
import type { Scoring } from '../scoring.js';
import { fitAndScore } from './fit-task.js';
import type { FoldData } from './fold-data.js';
import type { SearchReply, SearchTask } from './search-pool.js';

let folds: FoldData[] = [];
let scoring: Scoring = 'rocAuc';

function fit(index: number, spec: EstimatorSpec, fold: number): SearchReply {
  try {
    return { type: 'done', index, outcome: fitAndScore(spec, folds[fold]!, scoring) };
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    return { type: 'failed', index, message, ...(stack ? { stack } : {}) };
  }
}

parentPort!.on('message', (task: SearchTask) => {
  if (task.type === 'setup') {
    folds = task.folds;
    scoring = task.scoring;
    return;
  }
  parentPort!.postMessage(fit(task.index, task.spec, task.fold));
});
