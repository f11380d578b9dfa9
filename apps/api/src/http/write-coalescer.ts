/** Settings of {@link createWriteCoalescer}; the clock and the scheduler are injectable for tests. */
export interface CoalescerOptions {
  /** A held answer is written once the oldest one has waited this long, ms. Default 0.25. */
  maxWaitMs?: number;
  /** Milliseconds, monotonic. Default `performance.now`. */
  now?: () => number;
  /** Runs `flush` once this turn's I/O is handled. Default `setImmediate`. */
  schedule?: (flush: () => void) => void;
}

/**
 * Writes answers together. The first answer of an event-loop turn is written at once; answers
 * that follow in the same turn are held and written back to back when the turn's I/O callbacks
 * are done (`setImmediate`), or as soon as a new one finds the oldest held for `maxWaitMs`.
 *
 * Why: on loopback, each write wakes the client's sleeping thread, and the kernel charges that
 * wakeup to the writer. Spread out between the requests' work, every answer pays it; back to back,
 * one wakeup serves several answers. Under `wrk -c32` on two cores this took `/predict` from
 * ~41k to ~55k req/s and its p50 from 0.75 to 0.54 ms (apps/api README). A lone request is not
 * delayed; a held answer waits `maxWaitMs` at most plus the work the turn does until the next
 * answer or its end (with the router's turn slicer, about one 2 ms slice).
 *
 * `write` must not throw (the responder's catches and logs).
 *
 * @example
 * const send = createWriteCoalescer((answer: Answer) => answer.response.end(answer.body));
 * send({ response, body }); // written now, or with this turn's others
 */
export function createWriteCoalescer<T>(
  write: (item: T) => void,
  options: CoalescerOptions = {},
): (item: T) => void {
  const maxWaitMs = options.maxWaitMs ?? 0.25;
  const now = options.now ?? (() => performance.now());
  const schedule = options.schedule ?? setImmediate;
  let held: T[] = [];
  let heldSince = 0;
  let turnStarted = false;

  const writeHeld = () => {
    const items = held;
    held = [];
    for (const item of items) write(item);
  };
  const endTurn = () => {
    turnStarted = false;
    writeHeld();
  };

  return (item) => {
    if (!turnStarted) {
      turnStarted = true;
      schedule(endTurn);
      write(item);
      return;
    }
    const at = now();
    if (held.length === 0) heldSince = at;
    held.push(item);
    if (at - heldSince >= maxWaitMs) writeHeld();
  };
}
