import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** Messages between the primary and its workers (besides prom-client's own). */
type Message =
  | { type: 'heart:listening'; address: string }
  | { type: 'heart:metrics'; id: number; text?: string; error?: string };

const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' &&
  value !== null &&
  String((value as Message).type).startsWith('heart:');

let nextMetricsId = 0;
const pendingMetrics = new Map<number, (message: Message & { type: 'heart:metrics' }) => void>();

/**
 * In a worker: `GET /metrics` as every worker's instruments summed by the primary (prom-client's
 * AggregatorRegistry), so a scrape sees the whole service whichever worker answers it.
 *
 * @example
 * const metrics = createMetrics({ text: workerMetricsText });
 */
export function workerMetricsText(): Promise<string> {
  const id = ++nextMetricsId;
  return new Promise((resolve, reject) => {
    pendingMetrics.set(id, (message) => {
      pendingMetrics.delete(id);
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(message.error ?? 'no metrics from the primary'));
    });
    process.send!({ type: 'heart:metrics', id });
  });
}

/** A worker's side of the primary's channel. */
export interface WorkerChannel {
  /** Tells the primary this worker listens. */
  announce(address: string): void;
  /** Makes `registry` the one this worker reports when the primary sums every worker's. */
  share(registry: Registry): void;
}

/**
 * In a worker: hands replies from the primary to their waiters, and answers its metrics requests.
 *
 * @example
 * const channel = workerChannel();
 * channel.share(metrics.registry);
 * channel.announce('http://127.0.0.1:8000');
 */
export function workerChannel(): WorkerChannel {
  process.on('message', (message: unknown) => {
    if (isMessage(message) && message.type === 'heart:metrics')
      pendingMetrics.get(message.id)?.(message);
  });
  return {
    announce: (address) => process.send!({ type: 'heart:listening', address }),
    share(registry) {
      // Constructing one installs prom-client's answer to the primary's requests.
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([registry]);
    },
  };
}

/**
 * The primary of `WORKERS=N` (as uvicorn's `--workers`): forks N workers that share one port
 * (node:cluster), logs `Server listening at …` once all listen, forwards SIGHUP to every worker
 * (each reloads its model), and on SIGTERM/SIGINT stops them all gracefully and exits 0 when they
 * did (1 otherwise; forced after 15 s). A worker that exits before it listens stops the service
 * (exit 1: it has said why on stderr); one that dies later is replaced.
 *
 * @example
 * if (cluster.isPrimary) runPrimary({ workers: 2, logger });
 */
export function runPrimary(options: { workers: number; logger: Logger }): void {
  const { workers, logger } = options;
  const aggregator = new AggregatorRegistry();
  const listening = new Set<number>();
  let closing = false;
  let failed = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.type === 'heart:listening') {
        listening.add(worker.id);
        if (listening.size === workers) {
          logger.info(
            { address: message.address, workers },
            `Server listening at ${message.address} (${workers} workers)`,
          );
        }
      } else if (message.type === 'heart:metrics') {
        aggregator.clusterMetrics().then(
          (text) => worker.send({ type: 'heart:metrics', id: message.id, text }),
          (error: Error) =>
            worker.send({ type: 'heart:metrics', id: message.id, error: error.message }),
        );
      }
    });
    return worker;
  };

  const stopAll = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info(
      { signal, workers: Object.keys(cluster.workers ?? {}).length },
      'shutting down every worker',
    );
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error('workers did not stop within 15 s; killing them');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }, 15_000).unref();
  };

  cluster.on('exit', (worker, code, signal) => {
    const wasListening = listening.delete(worker.id);
    if (closing || failed) {
      if (code !== 0) failed = true;
    } else if (!wasListening) {
      failed = true;
      logger.error({ pid: worker.process.pid, code }, 'a worker could not start; stopping');
      stopAll('SIGTERM');
    } else {
      logger.error({ pid: worker.process.pid, code, signal }, 'a worker died; starting another');
      fork();
    }
    if (Object.keys(cluster.workers ?? {}).length === 0 && (closing || failed))
      process.exit(failed ? 1 : 0);
  });
  process.on('SIGHUP', () => {
    logger.info({ workers: listening.size }, 'SIGHUP: every worker reloads its model');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
  });
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));
  for (let i = 0; i < workers; i++) fork();
}
