import { redactUri } from './redact-uri.js';

/** TLS settings for the agent (undici's `connect` options). */
export interface ProxyFetchTls {
  rejectUnauthorized?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

/** A `fetch` through the environment's proxies, and the agent to close. */
export interface ProxyFetch {
  fetch: (url: string, init?: RequestInit & { duplex?: 'half' }) => Promise<Response>;
  close(): Promise<void>;
}

/**
 * undici's `fetch` through an `EnvHttpProxyAgent` honouring `HTTPS_PROXY`, `HTTP_PROXY` and
 * `NO_PROXY` (either case) from `env`. undici loads on the first request, so a caller that never
 * fetches never pays for it.
 */
export function createProxyFetch(
  env: Record<string, string | undefined>,
  tls?: ProxyFetchTls,
): ProxyFetch {
  let undici: typeof import('undici') | undefined;
  let agent: import('undici').EnvHttpProxyAgent | undefined;
  return {
    async fetch(url, init) {
      if (!undici) {
        const loaded = await import('undici');
        // Bundlers may put a CommonJS module's exports under `default`.
        undici =
          'EnvHttpProxyAgent' in loaded ? loaded : (loaded as { default: typeof loaded }).default;
      }
      try {
        agent ??= new undici.EnvHttpProxyAgent({
          httpProxy: env.HTTP_PROXY ?? env.http_proxy,
          httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
          noProxy: env.NO_PROXY ?? env.no_proxy,
          ...(tls ? { connect: tls, requestTls: tls } : {}),
        });
      } catch (error) {
        throw redactProxyError(error);
      }
      return undici.fetch(url, {
        ...(init as Parameters<typeof undici.fetch>[1]),
        dispatcher: agent,
      }) as unknown as Response;
    },
    async close() {
      await agent?.close();
      agent = undefined;
    },
  };
}

/**
 * `error` from making a proxy agent, with the proxy URL it may carry redacted: Node's
 * `ERR_INVALID_URL` keeps the URL it refused — `user:password@` included — as `input`, which
 * `console.error(error)` prints.
 */
export function redactProxyError(error: unknown): unknown {
  const input = (error as { input?: unknown } | null)?.input;
  if (typeof input === 'string') (error as { input: string }).input = redactUri(input);
  return error;
}
