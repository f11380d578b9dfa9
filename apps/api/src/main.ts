import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp, type ModelHolder } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { createMetrics } from './metrics.js';
import { loadBundleFromDir, loadBundleFromRun, type ModelBundle } from './model-store.js';

const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

let config: ReturnType<typeof readConfig>;
try {
  config = readConfig();
} catch (error) {
  process.stderr.write(
    `heart-api: ${error instanceof ConfigError ? error.message : String(error)}\n`,
  );
  process.exit(2);
}

const load = (): Promise<ModelBundle> =>
  config.modelUri
    ? loadBundleFromRun(config.modelUri, {
        trackingUri: config.trackingUri,
        root: config.root,
        batchLimit: config.batchLimit,
      })
    : loadBundleFromDir(config.modelDir, { batchLimit: config.batchLimit });

const metrics = createMetrics();
const holder: ModelHolder = { bundle: undefined };
const logger = pino({ level: config.logLevel });
const app = createApp({ config, holder, metrics, version, logger });
const server = createServer({ keepAliveTimeout: 72_000 }, app.handle);

const install = (bundle: ModelBundle) => {
  holder.bundle = bundle;
  metrics.modelLoadSeconds.set(bundle.loadSeconds);
  metrics.modelInfo.reset();
  metrics.modelInfo.labels(bundle.kind, bundle.version, bundle.runId ?? '').set(1);
};

try {
  install(await load());
} catch (error) {
  // A service without a model is useless: say which file and what to run, and stop at once.
  process.stderr.write(`heart-api: cannot start: ${(error as Error).message}\n`);
  process.exit(1);
}
logger.info(
  {
    kind: holder.bundle!.kind,
    version: holder.bundle!.version,
    runId: holder.bundle!.runId,
    source: holder.bundle!.source,
  },
  'model loaded',
);

// SIGHUP: load the model again; a bad new model leaves the old one serving.
let reloading = false;
process.on('SIGHUP', async () => {
  if (reloading) return;
  reloading = true;
  try {
    const bundle = await load();
    install(bundle);
    metrics.reloads.labels('success').inc();
    logger.info(
      { kind: bundle.kind, version: bundle.version, runId: bundle.runId },
      'model reloaded',
    );
  } catch (error) {
    metrics.reloads.labels('failure').inc();
    logger.error(
      { err: (error as Error).message },
      'model reload failed; the previous model keeps serving',
    );
  } finally {
    reloading = false;
  }
});

// SIGTERM/SIGINT: stop accepting, finish what is in flight (their answers close the connection),
// close idle keep-alive connections, exit 0.
let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
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
  logger.info({ address }, `Server listening at ${address}`);
});
