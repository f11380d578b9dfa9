import { describe, expect, it } from 'vitest';
import {
  parseRetryAfter,
  planRetry,
  RETRY_STATUSES,
  type RetryPolicy,
  retryAfterOf,
  retryDelay,
} from './retry.js';

/** MLflow's defaults: factor 2 s, jitter 1 s, backoff cap 120 s, Retry-After cap 6 h. */
const MLFLOW: RetryPolicy = {
  backoffFactorMs: 2000,
  backoffJitterMs: 1000,
  maxBackoffMs: 120_000,
  maxRetryAfterMs: 6 * 3600_000,
  respectRetryAfter: true,
};
const noJitter = { random: () => 0 };

describe('retryDelay', () => {
  it('waits nothing after the first failure, then factor · 2^attempt, capped', () => {
    expect(
      [0, 1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelay(attempt, MLFLOW, noJitter)),
    ).toEqual([0, 4000, 8000, 16_000, 32_000, 64_000, 120_000, 120_000]);
  });

  it('adds random() · jitter to every wait, drawing one number per wait', () => {
    const draws: number[] = [];
    const random = () => {
      draws.push(0.25);
      return 0.25;
    };
    expect(retryDelay(0, MLFLOW, { random })).toBe(250);
    expect(retryDelay(2, MLFLOW, { random })).toBe(8250);
    // A Retry-After replaces the wait, but the number is still drawn (the sequence stays put).
    expect(retryDelay(1, MLFLOW, { random, retryAfterMs: 3000 })).toBe(3000);
    expect(draws).toHaveLength(3);
  });

  it('takes Retry-After instead of the backoff, capped, unless told not to', () => {
    expect(retryDelay(3, MLFLOW, { ...noJitter, retryAfterMs: 0 })).toBe(0);
    expect(retryDelay(3, MLFLOW, { ...noJitter, retryAfterMs: 7 * 3600_000 })).toBe(6 * 3600_000);
    expect(
      retryDelay(3, { ...MLFLOW, respectRetryAfter: false }, { ...noJitter, retryAfterMs: 5 }),
    ).toBe(16_000);
  });
});

describe('planRetry', () => {
  const policy = { ...MLFLOW, maxRetries: 2, deadlineMs: 600_000 };
  const timing = { now: 0, deadline: 600_000, ...noJitter };

  it('retries a retryable failure until maxRetries, then says how many attempts it made', () => {
    expect(planRetry({ attempt: 0, retryable: true }, policy, timing)).toEqual({
      retry: true,
      waitMs: 0,
    });
    expect(planRetry({ attempt: 1, retryable: true }, policy, timing)).toEqual({
      retry: true,
      waitMs: 4000,
    });
    expect(planRetry({ attempt: 2, retryable: true }, policy, timing)).toEqual({
      retry: false,
      note: ' (gave up after 3 attempts)',
    });
    expect(
      planRetry({ attempt: 0, retryable: true }, { ...policy, maxRetries: 0 }, timing),
    ).toEqual({ retry: false, note: '' });
  });

  it('never retries a final failure, and draws no random number for it', () => {
    const random = () => {
      throw new Error('drawn');
    };
    expect(planRetry({ attempt: 1, retryable: false }, policy, { ...timing, random })).toEqual({
      retry: false,
      note: '',
    });
  });

  it('gives up when the wait would end at or after the deadline', () => {
    // Factor 100 ms, no jitter, 700 ms deadline: waits of 0, 200 and 400 ms fit, 800 ms does not.
    const tight = {
      ...policy,
      backoffFactorMs: 100,
      backoffJitterMs: 0,
      maxRetries: 10,
      deadlineMs: 700,
    };
    let now = 0;
    const waits: number[] = [];
    let decision = planRetry({ attempt: 0, retryable: true }, tight, {
      now,
      deadline: 700,
      ...noJitter,
    });
    for (let attempt = 1; decision.retry; attempt++) {
      waits.push(decision.waitMs);
      now += decision.waitMs;
      decision = planRetry({ attempt, retryable: true }, tight, {
        now,
        deadline: 700,
        ...noJitter,
      });
    }
    expect(waits).toEqual([0, 200, 400]);
    expect(decision).toEqual({
      retry: false,
      note: ' (gave up after 4 attempts: the 700 ms deadline would pass)',
    });
  });

  it('lets a Retry-After decide the wait', () => {
    expect(
      planRetry(
        { attempt: 3, retryable: true, retryAfterMs: 1000 },
        { ...policy, maxRetries: 5 },
        timing,
      ),
    ).toEqual({ retry: true, waitMs: 1000 });
  });
});

describe('Retry-After', () => {
  it('reads seconds or an HTTP date, relative to now', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:59:00 GMT', now)).toBe(0);
    for (const value of ['soon', '', null]) expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('is read on 413, 429 and 503 only; MLflow retries 408, 429, 500, 502, 503, 504', () => {
    expect([413, 429, 503, 500, 408].map((status) => retryAfterOf(status, '3', 0))).toEqual([
      3000,
      3000,
      3000,
      undefined,
      undefined,
    ]);
    expect(
      [400, 404, 408, 413, 429, 500, 501, 502, 503, 504].filter((s) => RETRY_STATUSES.has(s)),
    ).toEqual([408, 429, 500, 502, 503, 504]);
  });
});
