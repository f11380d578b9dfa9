import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { redactProxyError } from '@heart/internal/proxy-fetch';
import type { FetchLike } from './rest-store-options.js';

/** What the transport reads of an answer (a subset of `Response`). */
interface LightResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  readonly body: ReadableStream<Uint8Array> | null;
}

type Undici = typeof import('undici');

/**
 * A {@link FetchLike} on undici's `request` — the same agent (proxies from `HTTP_PROXY`,
 * `HTTPS_PROXY`, `NO_PROXY`; the TLS settings) as the default `fetch`, without its WHATWG
 * `Request`/`Response` objects per request (cheaper; not benchmarked on its own): what a sync of thousands of runs spends
 * its time on. Answers carry what the REST transport reads (`ok`, `status`, `headers.get`,
 * `text`, `arrayBuffer`, `body`).
 */
export function createRequestFetch(
  env: Record<string, string | undefined>,
  tls: { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string },
): { fetch: FetchLike; close(): Promise<void> } {
  let undici: Undici | undefined;
  let agent: import('undici').Dispatcher | undefined;
  const fetch: FetchLike = async (url, init) => {
    if (!undici) {
      const loaded = await import('undici');
      undici = 'request' in loaded ? loaded : (loaded as { default: Undici }).default;
    }
    try {
      agent ??= new undici.EnvHttpProxyAgent({
        httpProxy: env.HTTP_PROXY ?? env.http_proxy,
        httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
        noProxy: env.NO_PROXY ?? env.no_proxy,
        connect: tls,
        requestTls: tls,
      });
    } catch (error) {
      throw redactProxyError(error);
    }
    const body =
      init.body instanceof ReadableStream
        ? Readable.fromWeb(init.body as unknown as WebReadableStream<Uint8Array>)
        : (init.body as string | Uint8Array | undefined);
    const answer = await undici.request(url, {
      method: (init.method ?? 'GET') as 'GET',
      headers: init.headers as Record<string, string>,
      ...(body === undefined ? {} : { body }),
      ...(init.signal ? { signal: init.signal } : {}),
      dispatcher: agent,
    });
    return lightResponse(answer) as unknown as Response;
  };
  return {
    fetch,
    async close() {
      await agent?.close();
      agent = undefined;
    },
  };
}

function lightResponse(answer: import('undici').Dispatcher.ResponseData): LightResponse {
  const headers = answer.headers;
  return {
    ok: answer.statusCode >= 200 && answer.statusCode < 300,
    status: answer.statusCode,
    headers: {
      get(name) {
        const value = headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: () => answer.body.text(),
    arrayBuffer: () => answer.body.arrayBuffer(),
    get body() {
      return Readable.toWeb(answer.body) as unknown as ReadableStream<Uint8Array>;
    },
  };
}
