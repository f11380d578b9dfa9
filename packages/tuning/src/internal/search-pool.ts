import { Worker } from 'node:worker_threads';
import { workerScript } from '@heart/internal';
import { TuningError } from '../errors.js';
import type { EstimatorSpec } from '../estimators.js';
import type { Scoring } from '../scoring.js';
import type { FitOutcome } from './fit-task.js';
import type { FoldData } from './fold-data.js';

/** A message to a search worker. */
export type SearchTask =
  | { type: 'setup'; folds: FoldData[]; scoring: Scoring }
  | { type: 'fit'; index: number; spec: EstimatorSpec; fold: number };

/** A search worker's answer: a fold fitted and scored, or the fit's error. */
export type SearchReply =
  | { type: 'done'; index: number; outcome: FitOutcome }
  | { type: 'failed'; index: number; message: string; stack?: string };

/**
 * A worker running dist/search-worker.js, or, from source (vitest, tsx), the .ts file loaded
 * through tsx's API (Node 20 workers ignore an `--import` loader for their entry point).
 */
function startWorker(): Worker {
  const { url, path, exists, tsx } = workerScript(import.meta.url, 'search-worker');
  if (!exists) {
    throw new TuningError({
      code: 'WORKER_FAILED',
      message: `nJobs: the worker script ${path} is missing (a bundler that inlines @heart/tuning must copy dist/search-worker.js beside it); use nJobs: 1`,
    });
  }
  if (!tsx) return new Worker(url);
  const boot = `import(${JSON.stringify(tsx)})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true });
}

/** What {@link runOnWorkers} runs. */
export interface PoolRun {
  threads: number;
  folds: FoldData[];
  scoring: Scoring;
  /** Task `index` → the candidate's spec and its fold. */
  task: (index: number) => { spec: EstimatorSpec; fold: number };
  tasks: number;
  onReply: (reply: SearchReply) => void;
}

/**
 * Runs the tasks on `threads` worker threads (two queued on each, so none waits on this thread),
 * over one shared copy of the folds; resolves when all have replied, rejects on a worker's
 * failure. The threads are terminated either way.
 */
export async function runOnWorkers(run: PoolRun): Promise<void> {
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let sent = 0;
      let done = 0;
      const send = (worker: Worker) => {
        const index = sent++;
        worker.postMessage({ type: 'fit', index, ...run.task(index) } satisfies SearchTask);
      };
      const count = Math.min(run.threads, run.tasks);
      for (let k = 0; k < count; k++) {
        const worker = startWorker();
        workers.push(worker);
        worker.on('error', (error) =>
          reject(
            new TuningError({
              code: 'WORKER_FAILED',
              message: `a worker thread failed: ${error.message}`,
              cause: error,
            }),
          ),
        );
        worker.on('message', (reply: SearchReply) => {
          try {
            run.onReply(reply);
          } catch (error) {
            reject(error);
            return;
          }
          if (++done === run.tasks) resolve();
          else if (sent < run.tasks) send(worker);
        });
        worker.postMessage({
          type: 'setup',
          folds: run.folds,
          scoring: run.scoring,
        } satisfies SearchTask);
        for (let queued = 0; queued < 2 && sent < run.tasks; queued++) send(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
