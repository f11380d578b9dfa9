import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { runPrimary, workerChannel } from './cluster.js';
import { ConfigError, readConfig } from './config.js';
import { serve } from './serve.js';

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

const logger = pino({ level: config.logLevel });
if (config.workers > 1 && cluster.isPrimary) {
  // WORKERS=N: N processes on one port; this one only supervises them.
  runPrimary({ workers: config.workers, logger });
} else {
  await serve({
    config,
    logger,
    version,
    ...(cluster.isWorker ? { worker: workerChannel() } : {}),
  });
}
