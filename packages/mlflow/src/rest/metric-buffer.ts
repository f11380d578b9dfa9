import type { Clock } from '@heart/internal';
import type { Metric } from '../types.js';

/** Options of a {@link MetricBuffer}. */
export interface MetricBufferOptions {
  /** Sends one run's points (as `runs/log-batch` calls). */
  send: (runId: string, metrics: Metric[]) => Promise<void>;
  /** Timers for the flush interval. */
  clock: Clock;
  /** Points that make the buffer {@link MetricBuffer.full}. */
  flushSize: number;
  /** Longest a point waits before a background flush sends it, in ms. */
  flushIntervalMs: number;
}

/**
 * The REST store's metric points waiting to be sent, by run. A background flush starts
 * `flushIntervalMs` after the first point arrives (its failure is kept and thrown at the next
 * logging call); anything still held when Node is about to exit is sent then. A failed send puts
 * its points back.
 */
export class MetricBuffer {
  readonly #options: MetricBufferOptions;
  readonly #pending = new Map<string, Metric[]>();
  #count = 0;
  #cancelTimer: (() => void) | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #backgroundError: unknown;
  #exitHook: (() => void) | undefined;

  constructor(options: MetricBufferOptions) {
    this.#options = options;
  }

  /** Whether the buffer holds a full batch's worth of points. */
  get full(): boolean {
    return this.#count >= this.#options.flushSize;
  }

  /** Holds `metrics` for `runId`, arming the flush timer and the before-exit flush. */
  add(runId: string, metrics: readonly Metric[]): void {
    if (metrics.length === 0) return;
    const list = this.#pending.get(runId);
    if (list) list.push(...metrics);
    else this.#pending.set(runId, [...metrics]);
    this.#count += metrics.length;
    this.#cancelTimer ??= this.#options.clock.setTimer(() => {
      this.#cancelTimer = undefined;
      this.flush().catch((error: unknown) => {
        this.#backgroundError = error;
      });
    }, this.#options.flushIntervalMs);
    if (!this.#exitHook) {
      // A script that never ends its run still gets its metrics sent before Node exits.
      this.#exitHook = () => {
        if (this.#count > 0) {
          this.flush().catch((error: unknown) =>
            process.emitWarning(
              `@heart/mlflow: ${this.#count} buffered metric points were not sent: ${(error as Error).message}`,
            ),
          );
        }
      };
      process.on('beforeExit', this.#exitHook);
    }
  }

  /** Removes and returns the points held for `runId`. */
  take(runId: string): Metric[] {
    const metrics = this.#pending.get(runId) ?? [];
    this.#pending.delete(runId);
    this.#count -= metrics.length;
    return metrics;
  }

  /** Sends every held point, after any flush already under way. */
  flush(): Promise<void> {
    if (this.#cancelTimer) {
      this.#cancelTimer();
      this.#cancelTimer = undefined;
    }
    const send = async () => {
      for (const runId of [...this.#pending.keys()]) {
        const metrics = this.take(runId);
        try {
          await this.#options.send(runId, metrics);
        } catch (error) {
          this.add(runId, metrics);
          throw error;
        }
      }
      // Everything a failed background flush held has now been delivered.
      this.#backgroundError = undefined;
    };
    this.#flushing = this.#flushing.then(send, send);
    return this.#flushing;
  }

  /** Throws (once) the error of a failed background flush. */
  throwBackgroundError(): void {
    const error = this.#backgroundError;
    if (error === undefined) return;
    this.#backgroundError = undefined;
    throw error;
  }

  /** Stops flushing before Node exits (the store is closed). */
  detach(): void {
    if (this.#exitHook) process.off('beforeExit', this.#exitHook);
  }
}
