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
      agent ??= new undici.EnvHttpProxyAgent({
        httpProxy: env.HTTP_PROXY ?? env.http_proxy,
        httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
        noProxy: env.NO_PROXY ?? env.no_proxy,
        ...(tls ? { connect: tls, requestTls: tls } : {}),
      });
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
