import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp, type ModelHolder } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { createMetrics } from './metrics.js';
import { modelSource } from './model-source.js';
import { createModelSupervisor } from './model-supervisor.js';

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

const source = modelSource(config);
const metrics = createMetrics();
const holder: ModelHolder = { bundle: undefined };
const logger = pino({ level: config.logLevel });
const app = createApp({ config, holder, metrics, version, logger });
const server = createServer({ keepAliveTimeout: 72_000 }, app.handle);
const supervisor = createModelSupervisor({
  holder,
  source,
  metrics,
  logger,
  pollMs: config.pollMs,
});

const failure = await supervisor.reload('start');
if (failure && !source.current) {
  // A fixed model that cannot load is useless: say which file and what to run, and stop. (A
  // registry alias may point at a loadable version later: keep polling; /ready answers 503.)
  process.stderr.write(`heart-api: cannot start: ${failure.message}\n`);
  process.exit(1);
}
supervisor.start();

// SIGHUP: load the model again; a bad new model leaves the old one serving.
process.on('SIGHUP', () => {
  void supervisor.reload('SIGHUP');
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
