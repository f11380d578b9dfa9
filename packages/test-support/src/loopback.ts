import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Listens on an ephemeral port of 127.0.0.1; returns `http://127.0.0.1:<port>`.
 *
 * @example
 * ```ts
 * const url = await listenOnLoopback(createServer(handler));
 * ```
 */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server and every connection it holds. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}
