import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { closeServer, listenOnLoopback } from './loopback.js';

/** A running {@link startForwardProxy}. */
export interface ForwardProxy {
  /** `http://127.0.0.1:<port>/`, for `HTTP_PROXY`/`HTTPS_PROXY`. */
  url: string;
  /** What it forwarded, in order: absolute URLs, and `CONNECT host:port` for tunnels. */
  forwarded: string[];
  close(): Promise<void>;
}

/**
 * A minimal forwarding HTTP proxy on loopback that records the absolute URLs it forwards
 * (absolute-form requests, and the `CONNECT` tunnels HTTPS and undici's `ProxyAgent` open).
 *
 * @example
 * ```ts
 * const proxy = await startForwardProxy();
 * const store = new RestStore(target, { env: { HTTP_PROXY: proxy.url, NO_PROXY: '' } });
 * ```
 */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const forwarded: string[] = [];
  const server = createServer((req, res) => {
    forwarded.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    forwarded.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const url = `${await listenOnLoopback(server)}/`;
  return { url, forwarded, close: () => closeServer(server) };
}
