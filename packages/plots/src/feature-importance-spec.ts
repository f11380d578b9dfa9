import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions } from './chart-options.js';
import { invalidData, isFiniteNumber } from './internal/invalid-data.js';
import { CHART_CONFIG } from './theme.js';

/** One feature's importance. */
export interface FeatureImportanceDatum {
  feature: string;
  importance: number;
}

/**
 * Horizontal bars of feature importances, largest on top, at most `top` features.
 *
 * @example
 * ```ts
 * const spec = featureImportanceSpec(forest.featureImportances(), { title: 'Random forest: feature importance' });
 * ```
 */
export function featureImportanceSpec(
  importances: readonly FeatureImportanceDatum[],
  options: ChartOptions & { top?: number } = {},
): TopLevelSpec {
  if (!Array.isArray(importances) || importances.length === 0)
    throw invalidData('featureImportanceSpec: no importances');
  for (const item of importances) {
    if (typeof item?.feature !== 'string' || !isFiniteNumber(item.importance)) {
      throw invalidData(
        `featureImportanceSpec: ${JSON.stringify(item)} is not { feature: string, importance: number }`,
      );
    }
  }
  const top = [...importances]
    .sort((a, b) => b.importance - a.importance)
    .slice(0, options.top ?? 20);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    title: options.title ?? 'Feature importance',
    width: options.width ?? 420,
    height: options.height ?? Math.max(120, 18 * top.length),
    data: { values: top.map((item) => ({ feature: item.feature, importance: item.importance })) },
    mark: { type: 'bar', color: '#1f77b4' },
    encoding: {
      y: {
        field: 'feature',
        type: 'nominal',
        sort: '-x',
        title: null,
        axis: { labelFontSize: 11 },
      },
      x: {
        field: 'importance',
        type: 'quantitative',
        title: 'Importance',
        axis: { format: '.2f' },
      },
      tooltip: [
        { field: 'feature', type: 'nominal' },
        { field: 'importance', type: 'quantitative', format: '.4f' },
      ],
    },
  };
}
