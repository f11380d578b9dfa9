/** A clock whose time moves only when told: retry waits, deadlines and timers without sleeping. */
export interface ManualClock {
  /** Virtual milliseconds since the epoch. */
  now(): number;
  /** Records the wait, moves time forward by `ms` (firing due timers) and resolves at once. */
  sleep(ms: number): Promise<void>;
  /** Registers `callback` to fire when time reaches now + `ms`; returns a cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
  /** Moves time forward by `ms`, firing due timers in time order. */
  advance(ms: number): void;
  /** Every `sleep` asked for, in order. */
  readonly sleeps: number[];
  /** Timers registered and not yet fired or cancelled. */
  pendingTimers(): number;
}

/**
 * A fake clock for the libraries' injectable `clock` option (structurally their `Clock`).
 *
 * @example
 * ```ts
 * const clock = createManualClock();
 * const store = new RestStore(url, { clock });
 * await store.getExperiment('1');
 * expect(clock.sleeps).toEqual([0, 200]);
 * ```
 */
export function createManualClock(start = 1_700_000_000_000): ManualClock {
  let time = start;
  let sequence = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const sleeps: number[] = [];
  const advance = (ms: number) => {
    const target = time + Math.max(0, ms);
    for (;;) {
      const due = [...timers].filter(([, timer]) => timer.at <= target);
      if (due.length === 0) break;
      due.sort(([a, x], [b, y]) => x.at - y.at || a - b);
      const [id, timer] = due[0]!;
      timers.delete(id);
      time = Math.max(time, timer.at);
      timer.callback();
    }
    time = target;
  };
  return {
    now: () => time,
    sleep(ms) {
      sleeps.push(ms);
      advance(ms);
      return Promise.resolve();
    },
    setTimer(callback, ms) {
      const id = sequence++;
      timers.set(id, { at: time + Math.max(0, ms), callback });
      return () => {
        timers.delete(id);
      };
    },
    advance,
    sleeps,
    pendingTimers: () => timers.size,
  };
}
