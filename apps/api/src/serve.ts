import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp, type ModelHolder } from './app.js';
import { type WorkerChannel, workerMetricsText } from './cluster.js';
import type { ApiConfig } from './config.js';
import { createHttpServer } from './http/http-server.js';
import { createMetrics } from './metrics.js';
import { modelSource } from './model-source.js';
import { createModelSupervisor } from './model-supervisor.js';

/**
 * One serving process — the only one, or a cluster worker: loads the model (a fixed one that
 * cannot load stops the process with the file and the fix), serves the port, reloads on SIGHUP
 * (a reload that arrives during another is queued), and on SIGTERM/SIGINT stops accepting,
 * finishes what is in flight and exits 0 (forced after 10 s).
 *
 * @example
 * await serve({ config: readConfig(), logger: pino(), version: '1.0.0' });
 */
export async function serve(options: {
  config: ApiConfig;
  logger: Logger;
  version: string;
  /** Set in a cluster worker: its channel to the primary. */
  worker?: WorkerChannel;
}): Promise<void> {
  const { config, logger, version } = options;
  const source = modelSource(config);
  const metrics = createMetrics(options.worker ? { text: workerMetricsText } : {});
  options.worker?.share(metrics.registry);
  const holder: ModelHolder = { bundle: undefined };
  const app = createApp({ config, holder, metrics, version, logger, modelName: config.modelName });
  const server = createHttpServer(app.handle);
  server.on('connection', app.connected);
  const supervisor = createModelSupervisor({
    holder,
    source,
    metrics,
    logger,
    pollMs: config.pollMs,
  });

  // SIGHUP: load the model again; a bad new model leaves the old one serving. Listened for before
  // the first load, so an early one is queued behind it instead of ending the process.
  process.on('SIGHUP', () => {
    void supervisor.reload('SIGHUP');
  });

  const failure = await supervisor.reload('start');
  if (failure && !source.current) {
    // A fixed model that cannot load is useless: say which file and what to run, and stop. (A
    // registry alias may point at a loadable version later: keep polling; /ready answers 503.)
    process.stderr.write(`heart-api: cannot start: ${failure.message}\n`);
    process.exit(1);
  }
  supervisor.start();

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    supervisor.stop();
    app.startClosing();
    const force = setTimeout(() => {
      logger.error('in-flight requests did not finish within 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close((error) => {
      if (error) logger.error({ err: error }, 'error while closing');
      process.exit(error ? 1 : 0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  server.on('error', (error) => {
    process.stderr.write(
      `heart-api: cannot listen on ${config.host}:${config.port}: ${error.message}\n`,
    );
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    const address = `http://${config.host}:${port}`;
    if (options.worker) options.worker.announce(address);
    else logger.info({ address }, `Server listening at ${address}`);
  });
}
