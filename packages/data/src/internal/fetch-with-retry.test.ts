import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay } from './fetch-with-retry.js';

describe('retryDelay (pure: the randomness is given)', () => {
  it('doubles from the first wait, with up to as much again of jitter, capped at 30 s', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, 500, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect(retryDelay(2, 500, () => 0.5)).toBe(1500);
    expect(retryDelay(20, 500, () => 0)).toBe(30_000);
    expect(retryDelay(20, 500, () => 0.999)).toBe(59_970);
  });

  it("takes a server's Retry-After instead of the backoff", () => {
    expect(retryDelay(3, 500, () => 0.9, 7000)).toBe(7000);
    expect(retryDelay(1, 500, () => 0.9, 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  it('reads delay-seconds and HTTP dates (relative to now), and nothing else', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:04 GMT', now)).toBe(4000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('  ', now)).toBeUndefined();
  });
});
