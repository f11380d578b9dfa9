import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type RenderedChart, renderChart } from '@heart/plots';

type Spec = Parameters<typeof renderChart>[0];

/** Renders charts off the main thread when the built worker is there, else in this thread. */
export interface PlotRenderer {
  render(spec: Spec): Promise<RenderedChart>;
  close(): Promise<void>;
}

/**
 * Starts the chart worker at once (so vega loads while the data is fetched and models train). From
 * source (tests through tsx) there is no built worker: charts render in this thread.
 */
export function createPlotRenderer(): PlotRenderer {
  const workerFile = fileURLToPath(new URL('./plots-worker.js', import.meta.url));
  if (!existsSync(workerFile)) {
    return { render: (spec) => renderChart(spec, { scale: 1.5 }), close: async () => undefined };
  }
  const worker = new Worker(workerFile);
  worker.unref();
  const pending = new Map<
    number,
    { resolve: (chart: RenderedChart) => void; reject: (error: Error) => void; spec: Spec }
  >();
  let nextId = 0;
  const failAll = (error: Error) => {
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  worker.on(
    'message',
    (message: { id: number; svg?: string; png?: Uint8Array; error?: string }) => {
      const job = pending.get(message.id);
      if (!job) return;
      pending.delete(message.id);
      if (message.error) job.reject(new Error(`chart rendering failed: ${message.error}`));
      else job.resolve({ spec: job.spec, svg: message.svg!, png: new Uint8Array(message.png!) });
    },
  );
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the chart worker exited (${code})`)));
  return {
    render(spec) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject, spec });
        worker.ref();
        worker.postMessage({ id, spec });
      }).finally(() => {
        if (pending.size === 0) worker.unref();
      }) as Promise<RenderedChart>;
    },
    async close() {
      await worker.terminate();
    },
  };
}
