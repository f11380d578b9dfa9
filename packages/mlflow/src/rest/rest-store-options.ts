import type { Clock } from '@heart/internal';

/** The subset of `fetch` the REST client uses; inject one for tests or custom transports. */
export type FetchLike = (
  url: string,
  init: RequestInit & { duplex?: 'half'; dispatcher?: unknown },
) => Promise<Response>;

/** A retry about to happen (for logs and tests). */
export interface RetryEvent {
  endpoint: string;
  /** 1 for the first retry. */
  attempt: number;
  /** What failed: `HTTP 503`, `ECONNRESET`, `timeout after 120000 ms`. */
  reason: string;
  waitMs: number;
}

/**
 * Options of the REST backend, `rest: {…}` of `createTrackingClient` (each defaults to the MLflow
 * environment variable of the same meaning).
 */
export interface RestStoreOptions {
  /** Environment to read `MLFLOW_*` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Default: undici's `fetch` through an agent honouring proxies and the TLS settings. */
  fetch?: FetchLike;
  /** Retries after the first attempt. Default `MLFLOW_HTTP_REQUEST_MAX_RETRIES`, else 5 (at most 10). */
  maxRetries?: number;
  /** Per-attempt timeout in ms. Default `MLFLOW_HTTP_REQUEST_TIMEOUT` (seconds), else 120 s. */
  timeoutMs?: number;
  /** Backoff factor in ms: retry n waits `factor · 2^(n−1)` (none before the first). Default `MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR` (s), else 2 s. */
  backoffFactorMs?: number;
  /** Up to this much random jitter is added to every wait. Default `MLFLOW_HTTP_REQUEST_BACKOFF_JITTER` (s), else 1 s. */
  backoffJitterMs?: number;
  /** Longest single wait, backoff or `Retry-After`. Default 120 s for backoff, 6 h for `Retry-After`. */
  maxRetryAfterMs?: number;
  /** Whether `Retry-After` replaces the backoff on 429/503. Default `MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER`, else true. */
  respectRetryAfter?: boolean;
  /** Total time one call may take, retries included. Default `HEART_MLFLOW_REQUEST_DEADLINE` (s), else 600 s. */
  deadlineMs?: number;
  /**
   * The most bytes of one answer read into memory (JSON, text, an artifact read as bytes); a larger
   * answer is `UNEXPECTED_RESPONSE` and is not read. Downloads to a file stream and are not
   * limited. Default 256 MiB.
   */
  maxAnswerBytes?: number;
  /** Buffered metric points that trigger a flush. Default 1000 (one full `log-batch`). */
  metricFlushSize?: number;
  /** Longest a buffered metric point waits before it is sent, in ms. Default 2000. */
  metricFlushIntervalMs?: number;
  /** Called before each retry. */
  onRetry?: (event: RetryEvent) => void;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  /** Wall clock, waits and timers (retry waits, deadlines, timeouts, flushes). Default the system's. */
  clock?: Clock;
}
