import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { closeServer, listenOnLoopback } from '@heart/test-support';
import { pino } from 'pino';
import { type AppOptions, createApp } from '../app.js';
import { createHttpServer, type ServerTimeouts } from '../http/http-server.js';
import { createMetrics } from '../metrics.js';

/** The app on a real loopback socket, with every log line it writes kept for the test. */
export interface LiveApp {
  port: number;
  url: string;
  /** Log lines written so far (JSON text, one per line). */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Starts the app as `main.ts` serves it (`createHttpServer`: timeouts, Node's own errors in JSON)
 * on 127.0.0.1 and an ephemeral port, logging at info into `logs`.
 *
 * @example
 * const live = await startLiveApp({ holder: { bundle } });
 * await fetch(`${live.url}/health`);
 */
export async function startLiveApp(
  options: Partial<AppOptions> & Pick<AppOptions, 'holder'>,
  timeouts: ServerTimeouts = {},
): Promise<LiveApp> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const app = createApp({
    config: { bodyLimit: 1_048_576, batchLimit: 1000, threshold: undefined },
    metrics: createMetrics(),
    logger: pino({ level: 'info' }, sink),
    ...options,
  });
  const server: Server = createHttpServer(app.handle, timeouts);
  server.on('connection', app.connected);
  await listenOnLoopback(server);
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    logs,
    close: () => {
      server.closeAllConnections();
      return closeServer(server);
    },
  };
}
