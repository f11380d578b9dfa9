/**
 * Time as a library sees it: the wall clock, waits and timers. Tests pass a fake one so that retry
 * waits, deadlines, timeouts and flush intervals are checked without real sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
  /** Calls `callback` once after `ms`, without keeping the process alive; returns a cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
}

/** The real clock: `Date.now`, `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
