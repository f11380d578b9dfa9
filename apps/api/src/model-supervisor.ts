import { type Clock, systemClock } from '@heart/internal';
import type { Logger } from 'pino';
import type { ApiMetrics } from './metrics.js';
import type { ModelBundle } from './model-bundle.js';
import type { ModelHolder } from './model-holder.js';

/** Where the served model comes from. */
export interface ModelSource {
  /** Loads and checks the model (a failure leaves the served one in place). */
  load(): Promise<ModelBundle>;
  /**
   * What the source points at now (a registered version, `name/3`), cheaply; a change makes the
   * supervisor load. Absent: the source changes only on request (SIGHUP).
   */
  current?(): Promise<string>;
}

/** Options for {@link createModelSupervisor}. */
export interface ModelSupervisorOptions {
  holder: ModelHolder;
  source: ModelSource;
  metrics: ApiMetrics;
  logger: Logger;
  /** How often `current()` is asked, ms; 0: never. */
  pollMs: number;
  clock?: Clock;
}

/** Loads, reloads and follows the served model. */
export interface ModelSupervisor {
  /**
   * Loads now; when a load is running, one more runs after it (a request is never dropped).
   * Resolves with the load's error, or `undefined` when the new model serves.
   */
  reload(reason: string): Promise<Error | undefined>;
  /** Asks the source what it points at; loads when that is not what is served. */
  poll(): Promise<void>;
  /** Polls every `pollMs` until {@link stop}. */
  start(): void;
  stop(): void;
}

/** What identifies a served bundle for polling: its registered version, else its run. */
const bundleKey = (bundle: ModelBundle | undefined): string | undefined =>
  bundle?.registeredModel
    ? `${bundle.registeredModel.name}/${bundle.registeredModel.version}`
    : (bundle?.runId ?? undefined);

/**
 * The one owner of model swaps: a swap is one assignment to `holder.bundle`, so a request sees the
 * old model or the new one, never half of each (a replaced ONNX model's session is released when
 * its last run ends); a model that fails to load is logged and counted, and the old one keeps
 * serving. Reloads never overlap: one that arrives during another is queued.
 */
export function createModelSupervisor(options: ModelSupervisorOptions): ModelSupervisor {
  const { holder, source, metrics, logger } = options;
  const clock = options.clock ?? systemClock;
  let running: Promise<Error | undefined> | undefined;
  let queued: Promise<Error | undefined> | undefined;
  let cancel: (() => void) | undefined;

  const loadOnce = async (reason: string): Promise<Error | undefined> => {
    logger.info({ reason }, 'loading the model');
    try {
      const bundle = await source.load();
      const first = holder.bundle === undefined;
      install(holder, metrics, bundle);
      if (!first) {
        metrics.swaps.inc();
        metrics.reloads.labels('success').inc();
      }
      logger.info(
        {
          reason,
          kind: bundle.kind,
          version: bundle.version,
          runId: bundle.runId,
          registeredModel: bundle.registeredModel,
        },
        first ? 'model loaded' : 'model swapped',
      );
      return undefined;
    } catch (error) {
      metrics.loadFailures.inc();
      if (holder.bundle) metrics.reloads.labels('failure').inc();
      logger.error(
        { reason, err: (error as Error).message },
        holder.bundle
          ? 'model reload failed; the previous model keeps serving'
          : 'model load failed',
      );
      return error as Error;
    }
  };

  const reload = (reason: string): Promise<Error | undefined> => {
    if (!running) {
      running = loadOnce(reason).finally(() => {
        running = undefined;
      });
      return running;
    }
    // One queued reload covers every request that arrives while a load runs.
    logger.info({ reason }, 'a model load is running; this reload is queued behind it');
    queued ??= running.then(() => {
      queued = undefined;
      return reload(reason);
    });
    return queued;
  };

  const poll = async (): Promise<void> => {
    if (!source.current) return;
    let target: string;
    try {
      target = await source.current();
    } catch (error) {
      metrics.loadFailures.inc();
      logger.warn(
        { err: (error as Error).message },
        'model source check failed; serving as before',
      );
      return;
    }
    // A load already under way may be bringing exactly this version.
    if (running) await running;
    if (target !== bundleKey(holder.bundle)) await reload(`now ${target}`);
  };

  const schedule = () => {
    cancel = clock.setTimer(() => {
      poll().finally(() => {
        if (cancel) schedule();
      });
    }, options.pollMs);
  };

  return {
    reload,
    poll,
    start() {
      if (options.pollMs > 0 && source.current && !cancel) schedule();
    },
    stop() {
      cancel?.();
      cancel = undefined;
    },
  };
}

function install(holder: ModelHolder, metrics: ApiMetrics, bundle: ModelBundle): void {
  const replaced = holder.bundle;
  holder.bundle = bundle;
  // An ONNX session is released once the requests still running on it have their answers.
  if (
    replaced?.runtime === 'onnx' &&
    replaced.onnx !== (bundle.runtime === 'onnx' ? bundle.onnx : undefined)
  )
    replaced.onnx.retire();
  metrics.modelLoadSeconds.set(bundle.loadSeconds);
  metrics.modelInfo.reset();
  metrics.modelInfo
    .labels(bundle.kind, bundle.version, bundle.runId ?? '', bundle.registeredModel?.version ?? '')
    .set(1);
}
