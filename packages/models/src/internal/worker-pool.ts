import { availableParallelism } from 'node:os';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { workerScript } from '@heart/internal';
import { ModelError } from '../errors.js';
import type { Reply, Task, WorkerStart } from './worker-protocol.js';

/** One worker thread and the main thread's end of its port. */
interface Thread {
  worker: Worker;
  port: MessagePort;
}

/** Bumped by every worker after every reply: the main thread sleeps on it. */
const signal = new Int32Array(new SharedArrayBuffer(4));
/** Started lazily, kept for the next fit, unref'd: they never keep the process alive. */
const threads: Thread[] = [];
let jobs = 0;

/**
 * Threads for scikit-learn's `n_jobs`: a positive count as is; −1 all cores, −2 all but one, …
 * (`availableParallelism() + 1 + nJobs`, at least 1).
 */
export function threadCount(nJobs: number): number {
  return nJobs > 0 ? nJobs : Math.max(1, availableParallelism() + 1 + nJobs);
}

/**
 * The worker's first code (CommonJS, evaluated): loads the script and reports a failure to load
 * or an uncaught error as a reply to job 0, so a main thread waiting in `Atomics.wait` hears of it.
 */
function bootstrap(url: URL, tsx: string | undefined): string {
  const load = tsx
    ? `import(${JSON.stringify(tsx)}).then((tsx) => tsx.register())`
    : 'Promise.resolve()';
  return `const { workerData } = require('node:worker_threads');
const fail = (error) => {
  workerData.port.postMessage({ type: 'error', job: 0, message: String((error && error.stack) || error) });
  Atomics.add(workerData.signal, 0, 1);
  Atomics.notify(workerData.signal, 0);
};
process.on('uncaughtException', fail);
${load}.then(() => import(${JSON.stringify(url.href)})).catch(fail);`;
}

function spawn(): Thread {
  // dist/forest-worker.js beside the bundle, or (vitest, tsx) the .ts file through tsx's API.
  const { url, path, exists, tsx } = workerScript(import.meta.url, 'forest-worker');
  if (!exists) {
    throw new ModelError({
      code: 'WORKER_FAILED',
      message: `nJobs: the worker script ${path} is missing (a bundler that inlines @heart/models must copy dist/forest-worker.js beside it); use nJobs: 1`,
    });
  }
  const { port1, port2 } = new MessageChannel();
  const start: WorkerStart = { port: port2, signal };
  const worker = new Worker(bootstrap(url, tsx), {
    eval: true,
    workerData: start,
    transferList: [port2],
  });
  worker.unref();
  return { worker, port: port1 };
}

/**
 * Ends the worker threads that `nJobs` started (they are unref'd, so a process exits without
 * this; call it to free their memory early, or in a test's teardown).
 *
 * @example
 * ```ts
 * afterAll(() => terminateWorkers());
 * ```
 */
export async function terminateWorkers(): Promise<void> {
  const ending = threads.splice(0).map((thread) => {
    thread.port.close();
    return thread.worker.terminate();
  });
  await Promise.all(ending);
}

/** What {@link runTasks} runs: a setup for every worker, then tasks spread over them. */
export interface Run {
  workers: number;
  setup: (job: number) => Task;
  task: (job: number, index: number) => Task;
  tasks: number;
  /** Called on the main thread with each task's reply, as they come in. */
  onReply: (reply: Exclude<Reply, { type: 'error' }>) => void;
}

/**
 * Runs `run.tasks` tasks on `run.workers` threads and returns when every one has replied: the
 * main thread blocks in `Atomics.wait` and reads replies with `receiveMessageOnPort`, so the
 * caller stays synchronous. Each thread keeps two tasks queued, so it never waits on the main
 * thread. A task that fails throws `WORKER_FAILED` here.
 */
export function runTasks(run: Run): void {
  while (threads.length < run.workers) threads.push(spawn());
  const job = ++jobs;
  const used = threads.slice(0, run.workers);
  let sent = 0;
  let done = 0;
  const send = (thread: Thread) => thread.port.postMessage(run.task(job, sent++));
  for (const thread of used) {
    thread.port.postMessage(run.setup(job));
    for (let k = 0; k < 2 && sent < run.tasks; k++) send(thread);
  }
  while (done < run.tasks) {
    const seen = Atomics.load(signal, 0);
    let received = false;
    for (const thread of used) {
      for (
        let got = receiveMessageOnPort(thread.port);
        got;
        got = receiveMessageOnPort(thread.port)
      ) {
        const reply = got.message as Reply;
        // Job 0: the thread itself failed. Any other job: left over from a job that failed.
        if (reply.job !== job && reply.job !== 0) continue;
        received = true;
        if (reply.type === 'error') {
          void terminateWorkers();
          throw new ModelError({
            code: 'WORKER_FAILED',
            message: `a worker thread failed: ${reply.message}`,
            cause: reply.stack,
          });
        }
        done++;
        run.onReply(reply);
        if (sent < run.tasks) send(thread);
      }
    }
    if (!received) Atomics.wait(signal, 0, seen, 1000);
  }
}
