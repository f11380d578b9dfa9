import type { ActiveRun } from '@heart/mlflow';
import {
  confusionMatrixSpec,
  featureImportanceSpec,
  precisionRecallSpec,
  type RenderedChart,
  rocCurveSpec,
} from '@heart/plots';
import { MODEL_KINDS } from './model-kinds.js';
import type { PlotRenderer } from './plot-renderer.js';
import type { TrainedModel } from './training-result.js';

/** The charts of one run: confusion matrix and, where the kind draws one, feature importance. */
export function renderRunCharts(
  model: Omit<TrainedModel, 'runId'>,
  plots: PlotRenderer,
): Promise<RenderedChart[]> {
  const confusion = plots.render(
    confusionMatrixSpec(model.report.confusionMatrix, {
      title: `${model.runName}: confusion matrix (test set)`,
    }),
  );
  // The forest's importance chart, as the Python pipeline logs; every model's importances also go
  // into feature_importance.json (for logistic regression: |coefficient|, and the coefficients).
  if (!MODEL_KINDS[model.kind].importanceChart) return Promise.all([confusion]);
  const importance = plots.render(
    featureImportanceSpec(model.pipeline.classifier.featureImportances(), {
      title: `${model.runName}: feature importance (${MODEL_KINDS[model.kind].importance(model.pipeline.classifier).method})`,
    }),
  );
  return Promise.all([confusion, importance]);
}

/**
 * Logs every run's charts, plus the ROC and precision–recall curves of all models on one chart
 * each (into every run, so each shows the comparison). Returns how many charts there were.
 */
export async function logCharts(
  entries: readonly { run: ActiveRun; model: TrainedModel }[],
  plots: PlotRenderer,
): Promise<number> {
  if (entries.length === 0) return 0;
  const [roc, pr] = await Promise.all([
    plots.render(
      rocCurveSpec(
        entries.map(({ model }) => ({
          name: model.runName,
          ...model.report.curves!.roc,
          auc: model.metrics.roc_auc,
        })),
        { title: 'ROC curves (test set)' },
      ),
    ),
    plots.render(
      precisionRecallSpec(
        entries.map(({ model }) => ({
          name: model.runName,
          ...model.report.curves!.precisionRecall,
          averagePrecision: model.metrics.pr_auc,
        })),
        { title: 'Precision–recall curves (test set)' },
      ),
    ),
  ]);
  let count = 2;
  for (const { run, model } of entries) {
    const [confusion, importance] = await (model.charts ?? Promise.resolve([]));
    await logChart(run, 'plots/roc_curve', roc);
    await logChart(run, 'plots/pr_curve', pr);
    if (confusion) await logChart(run, 'plots/confusion_matrix', confusion);
    if (importance) await logChart(run, 'plots/feature_importance', importance);
    count += (confusion ? 1 : 0) + (importance ? 1 : 0);
  }
  return count;
}

async function logChart(
  run: ActiveRun,
  path: string,
  chart: { spec: unknown; svg: string; png: Uint8Array },
): Promise<void> {
  await run.logImage(chart.png, `${path}.png`);
  await run.logText(chart.svg, `${path}.svg`);
  await run.logDict(chart.spec, `${path}.vl.json`);
}
