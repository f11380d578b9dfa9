import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions } from './chart-options.js';
import { curveSpec } from './internal/curve-spec.js';
import { invalidData, isFiniteNumber } from './internal/invalid-data.js';

/** One model's ROC curve. */
export interface RocSeries {
  /** The model's name, shown in the legend with its AUC. */
  name: string;
  fpr: readonly number[];
  tpr: readonly number[];
  auc: number;
}

/**
 * ROC curves of several models on one chart, each named with its AUC in the legend, and the
 * chance diagonal.
 *
 * @example
 * ```ts
 * rocCurveSpec([{ name: 'random-forest', ...rocCurve(labels, probabilities), auc: 0.94 }]);
 * ```
 */
export function rocCurveSpec(
  series: readonly RocSeries[],
  options: ChartOptions = {},
): TopLevelSpec {
  if (!Array.isArray(series) || series.length === 0) throw invalidData('rocCurveSpec: no series');
  const rows = series.flatMap((item) => {
    if (
      !Array.isArray(item.fpr) ||
      item.fpr.length !== item.tpr?.length ||
      item.fpr.length < 2 ||
      !isFiniteNumber(item.auc)
    ) {
      throw invalidData(
        `rocCurveSpec: series "${item.name}" needs fpr and tpr of equal length (≥ 2) and a finite auc`,
      );
    }
    const model = `${item.name} (AUC ${item.auc.toFixed(3)})`;
    return item.fpr.map((fpr: number, i: number) => ({ model, i, fpr, tpr: item.tpr[i]! }));
  });
  return curveSpec(
    rows,
    { x: 'fpr', y: 'tpr', xTitle: 'False positive rate', yTitle: 'True positive rate' },
    options,
    'ROC curve',
    true,
  );
}
