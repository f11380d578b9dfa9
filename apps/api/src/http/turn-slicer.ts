/** Settings of {@link createTurnSlicer}; the clock and the scheduler are injectable for tests. */
export interface SlicerOptions {
  /** Work run in one event-loop turn before the rest waits for the next, ms. Default 2. */
  sliceMs?: number;
  /** Milliseconds, monotonic. Default `performance.now`. */
  now?: () => number;
  /** Runs `next` in the next turn, after its I/O. Default `setImmediate`. */
  schedule?: (next: () => void) => void;
  /** After {@link TurnSlicer.hurry}, slices are {@link HURRY_SLICE_MS} long for this long, ms. Default 5. */
  hurryMs?: number;
  /** At most this many tasks wait; past it, new work runs at once, as without slices. Default 256. */
  maxWaiting?: number;
}

/** A slice while hurrying: a turn of `/predict`s still runs a dozen, of batches one. */
const HURRY_SLICE_MS = 0.25;

/** What {@link createTurnSlicer} returns. */
export interface TurnSlicer {
  /**
   * Runs `task` now, or after the waiting ones in the next turns. With `maxWaiting` tasks waiting
   * it runs at once: a client pipelining requests faster than they are scored cannot grow the
   * wait (the work then holds the loop, as it did before slices, and Node stops reading ahead).
   */
  run(task: () => void): void;
  /**
   * A connection was just accepted: more may wait in the accept queue, one accept a turn, so for
   * `hurryMs` every turn runs a short slice (at least one task) and goes back to its I/O.
   */
  hurry(): void;
}

/**
 * Runs requests' work in slices of the event loop. Work submitted while the turn's slice lasts
 * runs at once; past `sliceMs`, it waits in order and runs in the next turns, a slice (at least
 * one task) per turn, each turn first doing its I/O.
 *
 * Why: libuv accepts one connection per loop turn (libuv#3696). A turn that scores 32 batches of
 * 100 rows lasts ~20 ms, so 32 clients connecting at once waited up to ~350 ms for the last to be
 * accepted, the tail of the batch benchmark's p99 (apps/api README). Slices let a turn end every
 * ~2 ms; waiting work keeps its order, so no request overtakes one that arrived before it.
 *
 * A burst of new connections is accepted one a turn; {@link TurnSlicer.hurry} (on each accepted
 * connection) makes slices 0.25 ms long for a few ms, so the burst is accepted about one batch
 * apart (rather than one 2 ms slice apart), while a connection churner costs little.
 *
 * @example
 * const slicer = createTurnSlicer();
 * server.on('connection', slicer.hurry);
 * slicer.run(() => answer(context, handler)); // now, or after the next turn's I/O
 */
export function createTurnSlicer(options: SlicerOptions = {}): TurnSlicer {
  const normalSliceMs = options.sliceMs ?? 2;
  const hurryMs = options.hurryMs ?? 5;
  const maxWaiting = options.maxWaiting ?? 256;
  const now = options.now ?? (() => performance.now());
  const schedule = options.schedule ?? setImmediate;
  // Waiting work, oldest first, from `head` on.
  let queue: ((() => void) | undefined)[] = [];
  let head = 0;
  let sliceStarted = 0;
  let inTurn = false;
  let hurryUntil = Number.NEGATIVE_INFINITY;
  let sliceMs = normalSliceMs;

  const startSlice = () => {
    inTurn = true;
    sliceStarted = now();
    sliceMs = sliceStarted < hurryUntil ? Math.min(HURRY_SLICE_MS, normalSliceMs) : normalSliceMs;
    schedule(endTurn);
  };
  const waitingCount = () => queue.length - head;
  function endTurn(): void {
    inTurn = false;
    if (waitingCount() === 0) return;
    startSlice();
    // At least one task per turn, then as many as the slice allows; what comes in meanwhile queues behind.
    do {
      const task = queue[head]!;
      queue[head++] = undefined;
      task();
    } while (waitingCount() > 0 && now() - sliceStarted < sliceMs);
    if (waitingCount() === 0) {
      queue = [];
      head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  return {
    run(task) {
      if (!inTurn) startSlice();
      const wait = waitingCount() > 0 || now() - sliceStarted >= sliceMs;
      if (wait && waitingCount() < maxWaiting) {
        queue.push(task);
        return;
      }
      task();
    },
    hurry() {
      hurryUntil = now() + hurryMs;
      sliceMs = Math.min(sliceMs, HURRY_SLICE_MS);
    },
  };
}
