import { type Clock, systemClock } from '@heart/internal';
import type {
  DownloadFetch,
  DownloadFetchResponse,
  DownloadRetryEvent,
} from '../download-types.js';
import { DataError } from '../errors.js';

/** How hard to try. */
export interface RetryPolicy {
  /** Extra attempts after the first. */
  retries: number;
  /** Time allowed for one attempt (headers and body), in ms. */
  timeoutMs: number;
  /** Time allowed for all attempts and waits together, in ms. */
  maxTotalMs: number;
  /** First backoff wait, in ms; doubles each retry, plus up to the same again of jitter. */
  backoffMs: number;
}

/** What one download needs besides the URL. */
export interface FetchWithRetryOptions {
  fetch: DownloadFetch;
  policy: RetryPolicy;
  onRetry?: (event: DownloadRetryEvent) => void;
  headers?: Record<string, string>;
  /** Default the system clock. */
  clock?: Clock;
  /** Largest body accepted (after decompression), bytes. */
  maxBytes: number;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  /** `url` as messages and retry events show it (secrets redacted). Default `url`. */
  display?: string;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 30_000;
/**
 * Network failures that another attempt will not mend: no such host, nothing listening, no route,
 * a certificate the client refuses. A newcomer with no route to UCI learns it at once.
 */
const UNRESOLVED = 'the host name does not resolve (no DNS, or no route to it)';
const BAD_CERTIFICATE = 'the TLS certificate is refused';
const PERMANENT_NETWORK_CODES = new Map([
  ['ENOTFOUND', UNRESOLVED],
  ['EAI_FAIL', UNRESOLVED],
  ['EAI_NONAME', UNRESOLVED],
  // "Temporary" by name, but what an offline machine answers: retrying only delays the error.
  ['EAI_AGAIN', UNRESOLVED],
  ['ECONNREFUSED', 'nothing accepts connections there'],
  ['ENETUNREACH', 'no route to the host'],
  ['EHOSTUNREACH', 'no route to the host'],
  ['CERT_HAS_EXPIRED', BAD_CERTIFICATE],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', BAD_CERTIFICATE],
  ['SELF_SIGNED_CERT_IN_CHAIN', BAD_CERTIFICATE],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', BAD_CERTIFICATE],
  ['ERR_TLS_CERT_ALTNAME_INVALID', BAD_CERTIFICATE],
]);

class TransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The wait before retry `attempt` (1-based): `backoffMs · 2^(attempt−1)`, capped at 30 s, plus up
 * to as much again of jitter; a server's `Retry-After` replaces it. Pure: the randomness is given.
 */
export function retryDelay(
  attempt: number,
  backoffMs: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const backoff = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (attempt - 1));
  return Math.round(backoff + random() * backoff);
}

/**
 * GETs `url` and returns its body, retrying transient failures (connection resets, timeouts, 408,
 * 429, 5xx, a body shorter than its Content-Length) with exponential backoff and jitter, honouring
 * `Retry-After`, within `policy.maxTotalMs`. Anything else — a 4xx, an unknown host, a refused
 * connection — fails at once.
 */
export async function fetchWithRetry(
  url: string,
  options: FetchWithRetryOptions,
): Promise<Uint8Array> {
  const { policy } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const deadline = clock.now() + policy.maxTotalMs;
  const shown = options.display ?? url;
  let lastError: TransientError | undefined;
  for (let attempt = 1; attempt <= policy.retries + 1; attempt++) {
    const remaining = deadline - clock.now();
    const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, remaining));
    try {
      return await attemptOnce(url, options, timeoutMs, clock);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      lastError = error;
    }
    if (attempt > policy.retries) break;
    const waitMs = retryDelay(attempt, policy.backoffMs, random, lastError.retryAfterMs);
    if (clock.now() + waitMs >= deadline) {
      throw new DataError({
        code: 'DOWNLOAD_FAILED',
        message: `download of ${shown} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${lastError.message}; the next attempt (in ${waitMs} ms) would pass the ${policy.maxTotalMs} ms limit`,
        cause: lastError,
        source: shown,
      });
    }
    options.onRetry?.({ url: shown, attempt, reason: lastError.message, waitMs });
    await clock.sleep(waitMs);
  }
  throw new DataError({
    code: 'DOWNLOAD_FAILED',
    message: `download of ${shown} failed after ${policy.retries + 1} attempts: ${lastError?.message}`,
    cause: lastError,
    source: shown,
  });
}

async function attemptOnce(
  url: string,
  options: FetchWithRetryOptions,
  timeoutMs: number,
  clock: Clock,
): Promise<Uint8Array> {
  const controller = new AbortController();
  const cancelTimer = clock.setTimer(() => controller.abort(), timeoutMs);
  const { signal } = controller;
  const shown = options.display ?? url;
  try {
    const response = await options.fetch(url, { signal, headers: options.headers ?? {} });
    if (!response.ok) {
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      if (RETRYABLE_STATUS.has(response.status) || response.status >= 500) {
        await response.arrayBuffer().catch(() => undefined);
        throw new TransientError(
          status,
          parseRetryAfter(response.headers.get('retry-after'), clock.now()),
        );
      }
      throw new DataError({
        code: 'HTTP_ERROR',
        message: `GET ${shown} answered ${status}`,
        source: shown,
      });
    }
    const declared = response.headers.get('content-length');
    const body = await readBody(response, { url: shown, maxBytes: options.maxBytes, declared });
    if (
      declared !== null &&
      !response.headers.get('content-encoding') &&
      Number(declared) !== body.length
    ) {
      throw new TransientError(`body truncated: received ${body.length} of ${declared} bytes`);
    }
    return body;
  } catch (error) {
    if (error instanceof DataError || error instanceof TransientError) throw error;
    if (signal.aborted) {
      throw new TransientError(`timed out after ${timeoutMs} ms`, undefined, { cause: error });
    }
    if (/redirect count exceeded|redirect loop/i.test(describeNetworkError(error))) {
      throw new DataError({
        code: 'DOWNLOAD_FAILED',
        message: `cannot download ${shown}: it redirects in a loop (more than 20 redirects); not retried`,
        cause: error,
        source: shown,
      });
    }
    const permanent = PERMANENT_NETWORK_CODES.get(networkCode(error) ?? '');
    if (permanent) {
      throw new DataError({
        code: 'DOWNLOAD_FAILED',
        message: `cannot download ${shown}: ${describeNetworkError(error)}, ${permanent}; not retried`,
        cause: error,
        source: shown,
      });
    }
    throw new TransientError(describeNetworkError(error), undefined, { cause: error });
  } finally {
    cancelTimer();
  }
}

/**
 * The body, read as a stream with a running byte count: past `maxBytes` (after any decompression,
 * so a gzip bomb stops there too) the read is cancelled and the download refused at once — a
 * declared Content-Length over the limit is refused before reading anything.
 */
async function readBody(
  response: DownloadFetchResponse,
  context: { url: string; maxBytes: number; declared: string | null },
): Promise<Uint8Array> {
  const tooLarge = (seen: string) =>
    new DataError({
      code: 'TOO_LARGE',
      message: `download of ${context.url} refused: ${seen}, more than the ${context.maxBytes}-byte limit (maxBytes; the UCI files are under 20 KB)`,
      source: context.url,
    });
  if (context.declared !== null && Number(context.declared) > context.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(`Content-Length ${context.declared}`);
  }
  if (!response.body) {
    const whole = new Uint8Array(await response.arrayBuffer());
    if (whole.length > context.maxBytes) throw tooLarge(`${whole.length} bytes`);
    return whole;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > context.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`more than ${context.maxBytes} bytes received`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The system error code behind a failed fetch (`ENOTFOUND`, `ECONNREFUSED`), if any. */
function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
