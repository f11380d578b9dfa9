import { DataError } from '../errors.js';

/** The part of a `fetch` Response that the downloader reads. */
export interface FetchResponseLike {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch`-compatible function; the global `fetch` fits. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<FetchResponseLike>;

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

/** Reported before each wait between attempts. */
export interface RetryEvent {
  url: string;
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** Why it failed. */
  reason: string;
  /** How long until the next attempt, in ms. */
  waitMs: number;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 30_000;

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
 * GETs `url` and returns its body, retrying transient failures (connection errors, timeouts, 408,
 * 429, 5xx, a body shorter than its Content-Length) with exponential backoff and jitter, honouring
 * `Retry-After`, within `policy.maxTotalMs`. Anything else fails at once.
 */
export async function fetchWithRetry(
  url: string,
  fetchImpl: FetchLike,
  policy: RetryPolicy,
  onRetry?: (event: RetryEvent) => void,
  headers: Record<string, string> = {},
): Promise<Uint8Array> {
  const deadline = Date.now() + policy.maxTotalMs;
  let lastError: TransientError | undefined;
  for (let attempt = 1; attempt <= policy.retries + 1; attempt++) {
    const remaining = deadline - Date.now();
    const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, remaining));
    try {
      return await attemptOnce(url, fetchImpl, timeoutMs, headers);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      lastError = error;
    }
    if (attempt > policy.retries) break;
    const backoff = Math.min(MAX_BACKOFF_MS, policy.backoffMs * 2 ** (attempt - 1));
    const waitMs = lastError.retryAfterMs ?? Math.round(backoff + Math.random() * backoff);
    if (Date.now() + waitMs >= deadline) {
      throw new DataError({
        code: 'DOWNLOAD_FAILED',
        message: `download of ${url} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${lastError.message}; the next attempt (in ${waitMs} ms) would pass the ${policy.maxTotalMs} ms limit`,
        cause: lastError,
        source: url,
      });
    }
    onRetry?.({ url, attempt, reason: lastError.message, waitMs });
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  throw new DataError({
    code: 'DOWNLOAD_FAILED',
    message: `download of ${url} failed after ${policy.retries + 1} attempts: ${lastError?.message}`,
    cause: lastError,
    source: url,
  });
}

async function attemptOnce(
  url: string,
  fetchImpl: FetchLike,
  timeoutMs: number,
  headers: Record<string, string>,
): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetchImpl(url, { signal, headers });
    if (!response.ok) {
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      if (RETRYABLE_STATUS.has(response.status) || response.status >= 500) {
        await response.arrayBuffer().catch(() => undefined);
        throw new TransientError(status, parseRetryAfter(response.headers.get('retry-after')));
      }
      throw new DataError({
        code: 'HTTP_ERROR',
        message: `GET ${url} answered ${status}`,
        source: url,
      });
    }
    const body = new Uint8Array(await response.arrayBuffer());
    const declared = response.headers.get('content-length');
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
    throw new TransientError(describeNetworkError(error), undefined, { cause: error });
  }
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
