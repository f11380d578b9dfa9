import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type Clock, systemClock } from '@heart/internal';
import { API } from './api-paths.js';
import {
  classifyFailure,
  type Failure,
  HttpFailure,
  parseJsonAnswer,
  TimeoutError,
} from './classify-failure.js';
import { answerBytes, answerText, errorText } from './read-answer.js';
import type { RestConfig } from './rest-config.js';
import type { FetchLike, RetryEvent } from './rest-store-options.js';
import { planRetry } from './retry.js';

/** One REST call. */
export interface CallOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
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
  /**
   * Streams a 2xx answer's body into this file (made afresh by every attempt, so a download cut
   * halfway is retried whole) instead of reading it; the call then resolves with `{}`.
   */
  saveTo?: string;
  /** Overrides the configured retries (`/version` uses 0). */
  maxRetries?: number;
  timeoutMs?: number;
  /**
   * Runs before each retry of a call that may have reached the server: a result stops retrying
   * and is returned (a `runs/create` that did create the run, found by its client tag).
   */
  beforeRetry?: () => Promise<unknown>;
}

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
      let failure: Failure;
      try {
        return await this.#attempt(options, url, timeoutMs);
      } catch (error) {
        failure = classifyFailure(error, {
          label,
          endpoint: options.endpoint,
          timeoutMs,
          where: config.baseUrl,
          now: clock.now(),
        });
      }
      const decision = planRetry(
        { attempt, retryable: failure.retryable, retryAfterMs: failure.retryAfterMs },
        { ...config, maxRetries },
        { now: clock.now(), deadline, random: this.#random },
      );
      if (!decision.retry) {
        failure.error.message += decision.note;
        throw failure.error;
      }
      const { waitMs } = decision;
      this.#onRetry?.({
        endpoint: options.endpoint,
        attempt: attempt + 1,
        reason: failure.error.status ? `HTTP ${failure.error.status}` : failure.error.message,
        waitMs,
      });
      if (waitMs > 0) await clock.sleep(waitMs);
    }
  }

  /** `GET /api/2.0/mlflow/<endpoint>` with a query; the answer's JSON. */
  async getJson(
    endpoint: string,
    query: Record<string, string | readonly string[] | undefined>,
  ): Promise<Record<string, unknown>> {
    return (await this.call({
      method: 'GET',
      path: `${API}/${endpoint}`,
      endpoint,
      query,
    })) as Record<string, unknown>;
  }

  /** `POST /api/2.0/mlflow/<endpoint>` with a JSON body; the answer's JSON. */
  postJson(endpoint: string, body: unknown): Promise<Record<string, unknown>> {
    return this.sendJson('POST', endpoint, body);
  }

  /** `POST`, `PATCH` or `DELETE /api/2.0/mlflow/<endpoint>` with a JSON body; the answer's JSON. */
  async sendJson(
    method: 'POST' | 'PATCH' | 'DELETE',
    endpoint: string,
    body: unknown,
  ): Promise<Record<string, unknown>> {
    return (await this.call({
      method,
      path: `${API}/${endpoint}`,
      endpoint,
      json: JSON.stringify(body),
    })) as Record<string, unknown>;
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
        if (options.saveTo !== undefined) {
          await saveBody(response, options.saveTo);
          return {};
        }
        const limit = this.#config.maxAnswerBytes;
        if (options.expect === 'bytes') return await answerBytes(response, limit, options.endpoint);
        const text = await answerText(response, limit, options.endpoint);
        if (options.expect === 'text') return text;
        return parseJsonAnswer(text, response, options.endpoint);
      }
      throw new HttpFailure(response.status, response.headers, await errorText(response));
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason instanceof TimeoutError)
        throw controller.signal.reason;
      throw error;
    } finally {
      cancelTimer();
    }
  }
}

/** Writes an answer's body to `file` as it arrives (a large artifact never sits in memory). */
async function saveBody(response: Response, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  if (!response.body) {
    await writeFile(file, '');
    return;
  }
  const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  await pipeline(body, createWriteStream(file));
}
