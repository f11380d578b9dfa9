import { createServer, request as httpRequest, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback.js';

/** What the proxy did to one request. */
export type ProxyFault =
  | 'pass'
  /** The connection is cut before the request reaches the server. */
  | 'reset-before'
  /** The server handles the request; the connection is cut before its answer gets back. */
  | 'reset-after'
  | '503'
  | '429'
  /** Held past the client's timeout, then forwarded (the server handles it after the client gave up). */
  | 'slow';

/** Options of a {@link FaultProxy}. */
export interface FaultProxyOptions {
  /** The server behind the proxy: `http://127.0.0.1:port`. */
  target: string;
  /** Share of requests that get a fault. */
  rate: number;
  seed: number;
  /** How long a `slow` request is held before it is forwarded, in ms (or until {@link FaultProxy.releaseHeld}). */
  slowMs: number;
  /**
   * Called when a `slow` request starts being held: a test with a manual clock moves it past the
   * client's timeout here, so the client gives up on that attempt without any real waiting.
   */
  onHold?: () => void;
  /** Seconds in the `Retry-After` of a 429. */
  retryAfterSeconds: number;
  /** Picks the fault for a request instead of chance (`undefined`: chance decides). */
  plan?: (method: string, path: string) => ProxyFault | undefined;
}

/**
 * A reverse proxy on 127.0.0.1 that fails a seeded share of requests in the ways networks and
 * servers fail: connection resets before and after the server acted, 503, 429 with `Retry-After`,
 * answers slower than the client's timeout. `log` records what it did, in order.
 *
 * @example
 * ```ts
 * const proxy = new FaultProxy({ target: server.url, rate: 0.3, seed: 11, slowMs: 600, retryAfterSeconds: 1 });
 * const url = await proxy.start(); // point the client here
 * ```
 */
export class FaultProxy {
  readonly log: { method: string; path: string; fault: ProxyFault }[] = [];
  readonly #options: FaultProxyOptions;
  readonly #random: () => number;
  readonly #held = new Map<NodeJS.Timeout, () => void>();
  #server: Server | undefined;
  url = '';

  constructor(options: FaultProxyOptions) {
    this.#options = options;
    this.#random = mulberry32(options.seed);
  }

  async start(): Promise<string> {
    const target = new URL(this.#options.target);
    const faults: ProxyFault[] = ['reset-before', 'reset-after', '503', '429', 'slow'];
    this.#server = createServer((request, response) => {
      const fault =
        this.#options.plan?.(request.method ?? '', request.url ?? '') ??
        (this.#random() < this.#options.rate
          ? faults[Math.floor(this.#random() * faults.length)]!
          : 'pass');
      this.log.push({ method: request.method ?? '', path: request.url ?? '', fault });
      if (fault === 'reset-before') {
        request.socket.destroy();
        return;
      }
      if (fault === '503' || fault === '429') {
        request.resume();
        request.on('end', () => {
          const status = Number(fault);
          response.writeHead(status, {
            'content-type': 'application/json',
            ...(status === 429 ? { 'retry-after': String(this.#options.retryAfterSeconds) } : {}),
          });
          response.end(
            JSON.stringify({
              error_code: status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : 'TEMPORARILY_UNAVAILABLE',
              message: 'injected fault',
            }),
          );
        });
        return;
      }
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const forward = () => {
          const upstream = httpRequest(
            {
              host: target.hostname,
              port: target.port,
              method: request.method,
              path: request.url,
              headers: { ...request.headers, host: target.host },
            },
            (answer) => {
              const body: Buffer[] = [];
              answer.on('data', (chunk: Buffer) => body.push(chunk));
              answer.on('end', () => {
                if (fault === 'reset-after') {
                  response.socket?.destroy();
                  return;
                }
                if (response.socket?.destroyed) return;
                response.writeHead(answer.statusCode ?? 502, answer.headers);
                response.end(Buffer.concat(body));
              });
            },
          );
          upstream.on('error', () => response.socket?.destroy());
          upstream.end(Buffer.concat(chunks));
        };
        if (fault !== 'slow') return forward();
        const timer = setTimeout(() => {
          this.#held.delete(timer);
          forward();
        }, this.#options.slowMs);
        this.#held.set(timer, forward);
        this.#options.onHold?.();
      });
    });
    this.url = await listenOnLoopback(this.#server);
    return this.url;
  }

  /** Forwards every held `slow` request now. */
  releaseHeld(): void {
    for (const [timer, forward] of this.#held) {
      clearTimeout(timer);
      this.#held.delete(timer);
      forward();
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.#held.keys()) clearTimeout(timer);
    this.#held.clear();
    if (this.#server) await closeServer(this.#server);
  }

  count(fault: ProxyFault): number {
    return this.log.filter((entry) => entry.fault === fault).length;
  }
}

/** A small seeded PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
