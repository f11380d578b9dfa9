/**
 * MLflow's retry policy (SPEC §3.6) as pure functions: which answers are retried, how long to wait
 * before each retry and when to give up. Time and randomness come in as arguments, so every wait
 * is tested without sleeping.
 */

/** The statuses MLflow's client retries. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
/** The statuses whose `Retry-After` header is read. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([413, 429, 503]);

/** The backoff settings (resolved from options and `MLFLOW_HTTP_REQUEST_*`). */
export interface RetryPolicy {
  /** Retry n waits `factor · 2^(n−1)`, none before the first. */
  backoffFactorMs: number;
  /** Up to this much random jitter is added to every wait. */
  backoffJitterMs: number;
  /** Longest backoff. */
  maxBackoffMs: number;
  /** Longest `Retry-After` wait. */
  maxRetryAfterMs: number;
  /** Whether a `Retry-After` replaces the backoff. */
  respectRetryAfter: boolean;
}

/**
 * The wait after failed attempt `attempt` (0 for the first attempt) before the next: no backoff
 * after the first failure, then `factor · 2^attempt` capped at `maxBackoffMs`, plus
 * `random() · jitter`; a respected `Retry-After` replaces all of it, capped at `maxRetryAfterMs`.
 *
 * @example
 * ```ts
 * retryDelay(2, policy, { random: () => 0.5 }); // min(maxBackoffMs, factor · 4) + jitter / 2
 * ```
 */
export function retryDelay(
  attempt: number,
  policy: RetryPolicy,
  options: { random: () => number; retryAfterMs?: number | undefined },
): number {
  const backoff =
    attempt === 0 ? 0 : Math.min(policy.maxBackoffMs, policy.backoffFactorMs * 2 ** attempt);
  const waitMs = backoff + options.random() * policy.backoffJitterMs;
  if (policy.respectRetryAfter && options.retryAfterMs !== undefined)
    return Math.min(options.retryAfterMs, policy.maxRetryAfterMs);
  return waitMs;
}

/** What one failed attempt allows: another after `waitMs`, or giving up (`note` says why). */
export type RetryDecision = { retry: true; waitMs: number } | { retry: false; note: string };

/** One failed attempt, as {@link planRetry} weighs it. */
export interface FailedAttempt {
  /** 0 for the first attempt. */
  attempt: number;
  /** Whether the failure is one MLflow retries (a network error, a timeout, a retry status). */
  retryable: boolean;
  /** The server's `Retry-After`, in ms, when it sent one. */
  retryAfterMs?: number | undefined;
}

/**
 * Whether to retry after a failed attempt, and after how long: never for a final failure, not
 * past `maxRetries`, and not when the wait would end at or after the call's deadline. `note` is
 * what the error message gains (`''` for a final failure on the first attempt).
 */
export function planRetry(
  failure: FailedAttempt,
  policy: RetryPolicy & { maxRetries: number; deadlineMs: number },
  timing: { now: number; deadline: number; random: () => number },
): RetryDecision {
  const attempts = failure.attempt + 1;
  if (!failure.retryable || failure.attempt >= policy.maxRetries) {
    const note =
      failure.attempt > 0 && failure.retryable ? ` (gave up after ${attempts} attempts)` : '';
    return { retry: false, note };
  }
  const waitMs = retryDelay(failure.attempt, policy, {
    random: timing.random,
    retryAfterMs: failure.retryAfterMs,
  });
  if (timing.now + waitMs >= timing.deadline) {
    return {
      retry: false,
      note: ` (gave up after ${attempts} attempts: the ${policy.deadlineMs} ms deadline would pass)`,
    };
  }
  return { retry: true, waitMs };
}

/** `Retry-After` as seconds or an HTTP date (relative to `now`), in ms; anything else → undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The `Retry-After` wait a failed answer asks for, for the statuses that carry one. */
export function retryAfterOf(
  status: number,
  header: string | null,
  now: number,
): number | undefined {
  return RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(header, now) : undefined;
}
