import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions } from './chart-options.js';
import { curveSpec } from './internal/curve-spec.js';
import { invalidData, isFiniteNumber } from './internal/invalid-data.js';

/** One model's precision–recall curve. */
export interface PrecisionRecallSeries {
  name: string;
  precision: readonly number[];
  recall: readonly number[];
  averagePrecision: number;
}

/**
 * Precision–recall curves of several models on one chart, each named with its average precision.
 *
 * @example
 * ```ts
 * precisionRecallSpec([{ name: 'random-forest', ...precisionRecallCurve(labels, p), averagePrecision: 0.91 }]);
 * ```
 */
export function precisionRecallSpec(
  series: readonly PrecisionRecallSeries[],
  options: ChartOptions = {},
): TopLevelSpec {
  if (!Array.isArray(series) || series.length === 0)
    throw invalidData('precisionRecallSpec: no series');
  const rows = series.flatMap((item) => {
    if (
      !Array.isArray(item.recall) ||
      item.recall.length !== item.precision?.length ||
      item.recall.length < 2 ||
      !isFiniteNumber(item.averagePrecision)
    ) {
      throw invalidData(
        `precisionRecallSpec: series "${item.name}" needs precision and recall of equal length (≥ 2) and a finite averagePrecision`,
      );
    }
    const model = `${item.name} (AP ${item.averagePrecision.toFixed(3)})`;
    return item.recall.map((recall: number, i: number) => ({
      model,
      i,
      recall,
      precision: item.precision[i]!,
    }));
  });
  return curveSpec(
    rows,
    { x: 'recall', y: 'precision', xTitle: 'Recall', yTitle: 'Precision' },
    options,
    'Precision–recall curve',
    false,
  );
}
