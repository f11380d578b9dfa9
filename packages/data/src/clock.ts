/** Time as the downloader sees it; tests pass a fake one so waits and timeouts need no sleeping. */
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
