import { isAbsolute, join, relative } from 'node:path';
import { createTrackingClient, isHeartError } from '@heart/mlflow';
import type { OpenRuns } from './interrupt.js';
import type { TrainOptions } from './options.js';
import type { Reporter } from './reporter.js';
import { TrainingFailed } from './training-failed.js';

/** Where the runs go when the tracking server cannot be reached (below the root). */
const OFFLINE_STORE = 'mlruns-offline';

/**
 * Whether a tracking failure means the server is out of reach for good: it could not be reached,
 * or answered only server errors, through every retry (`NETWORK_ERROR`, a 5xx). A refusal (4xx),
 * a bad setting or an unsupported artifact store is not: those stop the training as before.
 */
function isTrackingUnreachable(error: unknown): boolean {
  const cause = error instanceof TrainingFailed ? error.cause : error;
  if (!isHeartError(cause)) return false;
  const status = (cause as { status?: number }).status;
  return cause.code === 'NETWORK_ERROR' || (typeof status === 'number' && status >= 500);
}

/**
 * With `--offline-fallback`, whether this failure sends the training to the offline store: not
 * once the runs are finished at the server (a registration that failed after them), which would
 * leave every run twice once the offline store is synced.
 */
export function fallsBackOffline(options: TrainOptions, error: unknown): boolean {
  const finished = error instanceof TrainingFailed && error.saved !== undefined;
  return options.offlineFallback && !finished && isTrackingUnreachable(error);
}

/**
 * The runs still open on a server that cannot be reached: left as they are (ending them would
 * wait on the same server through every retry), their ids returned for the message.
 */
export function abandonOpenRuns(open: OpenRuns): string[] {
  const ids = [...open].map((run) => run.runId);
  open.clear();
  return ids;
}

/**
 * Runs `track` against the configured tracking URI; with `--offline-fallback`, when a server there
 * cannot be reached (at the start, or for good mid-run), says so and runs it again into
 * `<root>/mlruns-offline` — never silently — then prints the one command that publishes those
 * runs (`heart-mlflow sync ./mlruns-offline http://…`).
 */
export async function trackWithOfflineFallback<T>(
  options: TrainOptions,
  reporter: Reporter,
  track: (trackingUri: string | undefined) => Promise<T>,
): Promise<T> {
  try {
    return await track(options.trackingUri);
  } catch (error) {
    if (!fallsBackOffline(options, error)) throw error;
    const server = await serverUri(options);
    if (!/^https?:/.test(server)) throw error;
    const offline = join(options.root, OFFLINE_STORE);
    const cause = error instanceof TrainingFailed ? error.cause : error;
    const left =
      error instanceof TrainingFailed && error.failedRunIds.length > 0
        ? ` (its open runs ${error.failedRunIds.join(', ')} stay unfinished there)`
        : '';
    reporter.line(
      `MLflow at ${server} cannot be reached${left}: ${(cause as Error).message}\n` +
        `--offline-fallback: training into ${offline} instead`,
    );
    const result = await track(offline);
    reporter.line(
      `offline: the runs are in ${offline}; publish them to ${server} with\n` +
        `  heart-mlflow sync ${shown(offline)} ${server}`,
    );
    return result;
  }
}

/** The tracking URI as the client resolves it (flag, `MLFLOW_TRACKING_URI`), without credentials. */
async function serverUri(options: TrainOptions): Promise<string> {
  const client = createTrackingClient({ trackingUri: options.trackingUri, cwd: options.root });
  const uri = client.trackingUri;
  await client.close().catch(() => undefined);
  return uri;
}

/** `./mlruns-offline` when it is below the working folder, else the absolute path. */
function shown(path: string): string {
  const below = relative(process.cwd(), path);
  return below === '' || below.startsWith('..') || isAbsolute(below) ? path : `./${below}`;
}
