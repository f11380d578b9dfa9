import { isHeartError } from '@heart/internal';
import { syncRuns } from '../sync/sync-runs.js';
import { HELP, parseSyncArgs, type SyncCommand, UsageError } from './parse-sync-args.js';
import { createSyncReporter, type Output, summaryLines } from './sync-reporter.js';

/** What the CLI runs in: its streams, environment and folder (a test passes its own). */
export interface CliContext {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** `heart-mlflow <args>`: returns the exit code (0 all synced, 1 something was not, 2 usage). */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let command: SyncCommand | 'help';
  try {
    command = parseSyncArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    context.stderr.write(`heart-mlflow: ${error.message}\n`);
    return 2;
  }
  if (command === 'help') {
    context.stdout.write(HELP);
    return 0;
  }
  const started = performance.now();
  try {
    const { from, to, ...options } = command;
    const summary = await syncRuns({
      from,
      to,
      ...options,
      env: context.env,
      cwd: context.cwd,
      onEvent: createSyncReporter(context.stdout, context.stderr),
    });
    const lines = summaryLines(summary, (performance.now() - started) / 1000);
    context.stdout.write(`${lines.join('\n')}\n`);
    return summary.failures.length > 0 || summary.problems.length > 0 ? 1 : 0;
  } catch (error) {
    const code = isHeartError(error) ? ` [${error.code}]` : '';
    context.stderr.write(`heart-mlflow: sync failed${code}: ${(error as Error).message}\n`);
    if (!isHeartError(error)) context.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
