import { DataError } from '@heart/data';
import { isHeartError } from '@heart/internal';
import { PIPELINE_FILES } from '@heart/pipeline';
import { HELP } from './help.js';
import { exitOnInterrupt, type OpenRuns } from './interrupt.js';
import { parseTrainOptions, type TrainOptions, UsageError } from './options.js';
import type { PlotRenderer } from './plot-renderer.js';
import { findRepoRoot } from './repo-root.js';
import { createReporter } from './reporter.js';
import { runTraining } from './train.js';
import { failedRunsClause, TrainingFailed } from './training-failed.js';
import type { TrainResult } from './training-result.js';

const TABLE_METRICS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'roc_auc',
  'pr_auc',
  'log_loss',
] as const;

/** Metrics as rows, models as columns: fits in 100 columns under turbo's line prefix. */
export function summaryTable(result: TrainResult): string[] {
  const width = Math.max(15, ...result.models.map((run) => run.runName.length + 4));
  const header = result.models.map((run) =>
    `${run.runId === result.best.runId ? '* ' : ''}${run.runName}`.padStart(width),
  );
  return [
    `${'test metric'.padEnd(12)}${header.join('')}`,
    ...TABLE_METRICS.map(
      (metric) =>
        `${metric.padEnd(12)}${result.models.map((run) => run.metrics[metric].toFixed(4).padStart(width)).join('')}`,
    ),
    `${'cv roc_auc'.padEnd(12)}${result.models.map((run) => `${run.cv.rocAucMean.toFixed(3)} ± ${run.cv.rocAucStd.toFixed(3)}`.padStart(width)).join('')}`,
  ];
}

function printSummary(result: TrainResult, totalSeconds: number): void {
  const lines = [
    '',
    ...summaryTable(result),
    '',
    `best: ${result.best.runName} (${result.selectMetric} ${result.best.metrics[result.selectMetric].toFixed(4)}), run ${result.best.runId}`,
    `registry: ${result.registry.reason}`,
    `serve it: MODEL_URI=models:/${result.registry.name}@${result.registry.alias} pnpm --filter @heart/api-app start`,
    `model files: ${result.modelDir}/{${Object.values(PIPELINE_FILES['models-dir']).join(',')}}`,
    `runs: experiment "${result.experimentName}" (${result.experimentId}) at ${result.trackingUri}`,
  ];
  if (result.trackingUri.startsWith('file:')) {
    lines.push(
      `open them: mlflow ui --backend-store-uri ${result.trackingUri}`,
      '           (MLflow ≥ 3.13: MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri …)',
    );
  } else {
    lines.push(`open them: ${result.trackingUri}/#/experiments/${result.experimentId}`);
  }
  lines.push(`done in ${totalSeconds.toFixed(2)}s`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** What to tell a user whose failure has a known remedy. */
function hint(error: unknown): string | undefined {
  if (error instanceof DataError && error.code === 'DOWNLOAD_FAILED') {
    return 'No route to UCI? Point the download at a local copy of the UCI files (a folder holding processed.cleveland.data, a file: URL or an http:// mirror): --data-url <where> or HEART_DATA_URL=<where>.';
  }
  return undefined;
}

/** The CLI: parse options, train, print the summary; returns the exit code. */
export async function main(plots?: PlotRenderer): Promise<number> {
  const started = performance.now();
  let options: TrainOptions | 'help';
  try {
    options = parseTrainOptions(process.argv.slice(2), process.env, findRepoRoot());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`heart-train: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const openRuns: OpenRuns = new Set();
  const uninstall = exitOnInterrupt(openRuns);
  try {
    const result = await runTraining(options, createReporter(), plots, openRuns);
    printSummary(result, (performance.now() - started) / 1000);
    return 0;
  } catch (caught) {
    // A bad --search-space file is found before any work: a usage error like a bad flag.
    if (caught instanceof UsageError) {
      process.stderr.write(`heart-train: ${caught.message}\n`);
      return 2;
    }
    const failedRuns = caught instanceof TrainingFailed ? caught.failedRunIds : [];
    const saved = caught instanceof TrainingFailed ? caught.saved : undefined;
    const error = caught instanceof TrainingFailed ? caught.cause : caught;
    const known = isHeartError(error);
    const code = known ? ` [${error.code}]` : '';
    process.stderr.write(`heart-train: failed${code}: ${(error as Error).message}\n`);
    if (!known) process.stderr.write(`${(error as Error).stack}\n`);
    const remedy = hint(error);
    if (remedy) process.stderr.write(`${remedy}\n`);
    const runs = failedRunsClause(failedRuns);
    process.stderr.write(`Nothing in models/ was changed${runs}${saved ? `; ${saved}` : ''}.\n`);
    return 1;
  } finally {
    uninstall();
  }
}
