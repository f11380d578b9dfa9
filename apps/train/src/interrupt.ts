import type { ActiveRun } from '@heart/mlflow';
import { failedRunsClause } from './training-failed.js';

/** The MLflow runs a training has open now: what an interrupt must end. */
export type OpenRuns = Set<ActiveRun>;

const EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * On Ctrl-C or SIGTERM: ends every open run FAILED with an end time (as MLflow's Python client
 * does for SIGINT), says what it did, and exits 130 / 143 — at once, even while training waits on
 * a slow server or computes. A second signal exits without waiting. Returns the uninstaller.
 */
export function exitOnInterrupt(
  openRuns: OpenRuns,
  write: (text: string) => void = (text) => process.stderr.write(text),
): () => void {
  let interrupted = false;
  const handler = (signal: NodeJS.Signals) => {
    const code = EXIT_CODES[signal] ?? 1;
    if (interrupted) process.exit(code);
    interrupted = true;
    const runs = [...openRuns];
    const ending = Promise.allSettled(runs.map((run) => run.end('FAILED')));
    const cap = new Promise((done) => setTimeout(done, 10_000).unref());
    Promise.race([ending, cap]).then((settled) => {
      const failed = Array.isArray(settled)
        ? runs.filter((_, i) => settled[i]?.status === 'fulfilled').map((run) => run.runId)
        : [];
      write(
        `heart-train: interrupted (${signal}); nothing in models/ was changed${failedRunsClause(failed)}.\n`,
      );
      process.exit(code);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
