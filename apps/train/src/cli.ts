import { DataError } from '@heart/data';
import { MlflowError } from '@heart/mlflow';
import { ModelError } from '@heart/models';
import { HELP, parseTrainOptions, type TrainOptions, UsageError } from './options.js';
import { runTraining, type TrainResult } from './pipeline.js';
import type { PlotRenderer } from './plot-renderer.js';
import { findRepoRoot } from './repo-root.js';
import { createReporter } from './reporter.js';

function printSummary(result: TrainResult, options: TrainOptions, totalSeconds: number): void {
  const columns = [
    'accuracy',
    'precision',
    'recall',
    'f1',
    'roc_auc',
    'pr_auc',
    'log_loss',
  ] as const;
  const lines = [
    '',
    `${'model'.padEnd(22)}${columns.map((c) => c.padStart(10)).join('')}${'cv_auc'.padStart(16)}`,
    ...result.runs.map(
      (run) =>
        `${(run.runId === result.best.runId ? `* ${run.runName}` : `  ${run.runName}`).padEnd(22)}${columns
          .map((c) => run.metrics[c].toFixed(4).padStart(10))
          .join(
            '',
          )}${`${run.cv.rocAucMean.toFixed(3)} ± ${run.cv.rocAucStd.toFixed(3)}`.padStart(16)}`,
    ),
    '',
    `best: ${result.best.runName} (${result.selectMetric} ${result.best.metrics[result.selectMetric].toFixed(4)}), run ${result.best.runId}`,
    `model files: ${result.modelDir}/{best_model,preprocessor,metadata}.json`,
    `runs: experiment "${options.experiment}" (${result.experimentId}) at ${result.trackingUri}`,
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
  try {
    const result = await runTraining(options, createReporter(), plots);
    printSummary(result, options, (performance.now() - started) / 1000);
    return 0;
  } catch (error) {
    const known =
      error instanceof DataError || error instanceof ModelError || error instanceof MlflowError;
    const code = known ? ` [${(error as { code: string }).code}]` : '';
    process.stderr.write(`heart-train: failed${code}: ${(error as Error).message}\n`);
    if (!known) process.stderr.write(`${(error as Error).stack}\n`);
    process.stderr.write(
      'Nothing in models/ was changed; an MLflow run that was open is marked FAILED.\n',
    );
    return 1;
  }
}
