import { type Clock, systemClock } from '@heart/internal';
import { MlflowError } from '../errors.js';
import type { FetchLike, RestConfig, RetryEvent } from './config.js';

/** One REST call. */
export interface CallOptions {
  method: 'GET' | 'POST' | 'PUT';
  /** Path below the tracking URI: `/api/2.0/mlflow/runs/create`. */
  path: string;
  /** Another server than the tracking URI (an artifact proxy named in the run's artifact URI). */
  baseUrl?: string;
  /** The name errors and retry events use: `runs/create`. */
  endpoint: string;
  query?: Record<string, string | readonly string[] | undefined>;
  /** A JSON body, already in wire shape (sent as `application/json`). */
  json?: string;
  /** A raw body, made afresh for every attempt (a file stream, say). */
  body?: () => {
    data: ReadableStream<Uint8Array> | Uint8Array;
    length: number;
    contentType: string;
  };
  /** What a 2xx answer holds. Default `json`. */
  expect?: 'json' | 'bytes' | 'text';
  /** Overrides the configured retries (`/version` uses 0). */
  maxRetries?: number;
  timeoutMs?: number;
  /**
   * Runs before each retry of a call that may have reached the server: a result stops retrying
   * and is returned (a `runs/create` that did create the run, found by its client tag).
   */
  beforeRetry?: () => Promise<unknown>;
}

/** The statuses MLflow's client retries (SPEC §3.6). */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const RETRY_AFTER_STATUSES = new Set([413, 429, 503]);

/**
 * HTTP for the REST store: MLflow's retry policy (connection errors, timeouts, 408/429/5xx;
 * exponential backoff with jitter; `Retry-After`), a per-attempt timeout and a total deadline,
 * and MLflow's errors turned into `MlflowError`s that carry `error_code`, status and endpoint.
 * Credentials live in the headers only and never reach a message.
 */
export class Transport {
  readonly #config: RestConfig;
  readonly #fetch: FetchLike;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #random: () => number;
  readonly #clock: Clock;

  constructor(
    config: RestConfig,
    fetchImpl: FetchLike,
    hooks: { onRetry?: (event: RetryEvent) => void; random?: () => number; clock?: Clock } = {},
  ) {
    this.#config = config;
    this.#fetch = fetchImpl;
    this.#onRetry = hooks.onRetry;
    this.#random = hooks.random ?? Math.random;
    this.#clock = hooks.clock ?? systemClock;
  }

  async call(options: CallOptions): Promise<unknown> {
    const config = this.#config;
    const maxRetries = options.maxRetries ?? config.maxRetries;
    const clock = this.#clock;
    const deadline = clock.now() + config.deadlineMs;
    const url = this.#url(options);
    const label = `${options.method} ${options.endpoint}`;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 && options.beforeRetry) {
        // A lookup that fails too only means the call is retried blind.
        const recovered = await options.beforeRetry().catch(() => undefined);
        if (recovered !== undefined) return recovered;
      }
      const remaining = deadline - clock.now();
      const timeoutMs = Math.min(options.timeoutMs ?? config.timeoutMs, remaining);
      let failure: { error: MlflowError; retryable: boolean; retryAfterMs?: number };
      try {
        return await this.#attempt(options, url, timeoutMs);
      } catch (error) {
        failure = this.#classify(error, label, options.endpoint, timeoutMs);
      }
      if (!failure.retryable || attempt >= maxRetries) {
        if (attempt > 0 && failure.retryable) {
          failure.error.message += ` (gave up after ${attempt + 1} attempts)`;
        }
        throw failure.error;
      }
      const backoff =
        attempt === 0 ? 0 : Math.min(config.maxBackoffMs, config.backoffFactorMs * 2 ** attempt);
      let waitMs = backoff + this.#random() * config.backoffJitterMs;
      if (config.respectRetryAfter && failure.retryAfterMs !== undefined) {
        waitMs = Math.min(failure.retryAfterMs, config.maxRetryAfterMs);
      }
      if (clock.now() + waitMs >= deadline) {
        failure.error.message += ` (gave up after ${attempt + 1} attempts: the ${config.deadlineMs} ms deadline would pass)`;
        throw failure.error;
      }
      this.#onRetry?.({
        endpoint: options.endpoint,
        attempt: attempt + 1,
        reason: failure.error.status ? `HTTP ${failure.error.status}` : failure.error.message,
        waitMs,
      });
      if (waitMs > 0) await clock.sleep(waitMs);
    }
  }

  #url(options: CallOptions): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of typeof value === 'string' ? [value] : value) search.append(name, item);
    }
    const query = search.toString();
    return `${options.baseUrl ?? this.#config.baseUrl}${options.path}${query ? `?${query}` : ''}`;
  }

  async #attempt(options: CallOptions, url: string, timeoutMs: number): Promise<unknown> {
    const controller = new AbortController();
    const cancelTimer = this.#clock.setTimer(
      () => controller.abort(new TimeoutError(timeoutMs)),
      timeoutMs,
    );
    try {
      const headers: Record<string, string> = {
        ...this.#config.headers,
        accept: 'application/json',
      };
      let body: ReadableStream<Uint8Array> | Uint8Array | string | undefined;
      if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = options.json;
      } else if (options.body) {
        const made = options.body();
        headers['content-type'] = made.contentType;
        // fetch sizes a byte body itself; a stream would go chunked without the length.
        if (made.data instanceof ReadableStream) headers['content-length'] = String(made.length);
        body = made.data;
      }
      const response = await this.#fetch(url, {
        method: options.method,
        headers,
        body: body as RequestInit['body'],
        signal: controller.signal,
        ...(body instanceof ReadableStream ? { duplex: 'half' as const } : {}),
      });
      if (response.ok) {
        if (options.expect === 'bytes') return new Uint8Array(await response.arrayBuffer());
        const text = await response.text();
        if (options.expect === 'text') return text;
        return parseJsonAnswer(text, response, options.endpoint);
      }
      throw new HttpFailure(response.status, response.headers, await response.text());
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason instanceof TimeoutError)
        throw controller.signal.reason;
      throw error;
    } finally {
      cancelTimer();
    }
  }

  #classify(
    error: unknown,
    label: string,
    endpoint: string,
    timeoutMs: number,
  ): { error: MlflowError; retryable: boolean; retryAfterMs?: number } {
    if (error instanceof MlflowError) return { error, retryable: false };
    if (error instanceof HttpFailure) {
      const retryAfterMs = RETRY_AFTER_STATUSES.has(error.status)
        ? parseRetryAfter(error.headers.get('retry-after'), this.#clock.now())
        : undefined;
      return {
        error: serverError(error, label, endpoint),
        retryable: RETRY_STATUSES.has(error.status),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    const where = this.#config.baseUrl;
    if (error instanceof TimeoutError) {
      return {
        error: new MlflowError({
          code: 'NETWORK_ERROR',
          endpoint,
          message: `${label}: ${where} did not answer within ${timeoutMs} ms`,
          cause: error,
        }),
        retryable: true,
      };
    }
    const code = networkCode(error);
    return {
      error: new MlflowError({
        code: 'NETWORK_ERROR',
        endpoint,
        message: `${label}: cannot reach ${where} (${code})`,
        cause: error,
      }),
      retryable: true,
    };
  }
}

class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timeout after ${timeoutMs} ms`);
  }
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
  }
}

function parseJsonAnswer(text: string, response: Response, endpoint: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new MlflowError({
      code: 'UNEXPECTED_RESPONSE',
      status: response.status,
      endpoint,
      message: `${endpoint}: the server answered HTTP ${response.status} with ${describeBody(text, response.headers.get('content-type'))}, not MLflow's JSON`,
    });
  }
}

/** MLflow's JSON error (`error_code` + `message`), or a description of whatever else came back. */
function serverError(failure: HttpFailure, label: string, endpoint: string): MlflowError {
  const type = failure.headers.get('content-type');
  let parsed: { error_code?: unknown; message?: unknown } | undefined;
  try {
    parsed = JSON.parse(failure.body) as typeof parsed;
  } catch {}
  if (parsed && typeof parsed === 'object' && typeof parsed.error_code === 'string') {
    return new MlflowError({
      code: parsed.error_code,
      status: failure.status,
      endpoint,
      message: `${label}: ${typeof parsed.message === 'string' ? parsed.message : parsed.error_code}`,
    });
  }
  return new MlflowError({
    // Flask's own 404 page: the server has no such endpoint (an older MLflow, or a wrong prefix).
    code: failure.status === 404 ? 'ENDPOINT_NOT_FOUND' : 'UNEXPECTED_RESPONSE',
    status: failure.status,
    endpoint,
    message: `${label}: the server answered HTTP ${failure.status} with ${describeBody(failure.body, type)}`,
  });
}

function describeBody(body: string, contentType: string | null): string {
  if (/html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(body)) {
    const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
    return `an HTML page${title ? ` ("${title}")` : ''}`;
  }
  if (body.trim() === '') return 'an empty body';
  const snippet = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  return `${contentType ?? 'a body'}: ${JSON.stringify(snippet)}`;
}

/** `Retry-After` as seconds or an HTTP date (relative to `now`), in ms; anything else → undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The system error code behind a failed fetch (`ECONNREFUSED`, a TLS code), or its message. */
function networkCode(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}
