import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions } from './chart-options.js';
import { invalidData } from './internal/invalid-data.js';
import { CHART_CONFIG } from './theme.js';

/** Counts of a binary confusion matrix. */
export interface ConfusionCounts {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/**
 * A confusion matrix heatmap with the counts written in the cells (rows: actual, columns:
 * predicted).
 *
 * @example
 * ```ts
 * confusionMatrixSpec({ tn: 28, fp: 5, fn: 2, tp: 26 }, { title: 'Logistic regression' });
 * ```
 */
export function confusionMatrixSpec(
  counts: ConfusionCounts,
  options: ChartOptions & { labels?: readonly [string, string] } = {},
): TopLevelSpec {
  for (const key of ['tn', 'fp', 'fn', 'tp'] as const) {
    if (!Number.isInteger(counts?.[key]) || counts[key] < 0)
      throw invalidData(`confusionMatrixSpec: ${key} must be a count, got ${counts?.[key]}`);
  }
  const [negative, positive] = options.labels ?? ['0 (no disease)', '1 (disease)'];
  const cells = [
    { actual: negative, predicted: negative, count: counts.tn },
    { actual: negative, predicted: positive, count: counts.fp },
    { actual: positive, predicted: negative, count: counts.fn },
    { actual: positive, predicted: positive, count: counts.tp },
  ];
  const max = Math.max(...cells.map((cell) => cell.count), 1);
  const order = [negative, positive];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    title: options.title ?? 'Confusion matrix',
    width: options.width ?? 260,
    height: options.height ?? 260,
    data: { values: cells.map((cell) => ({ ...cell, dark: cell.count > max / 2 })) },
    encoding: {
      x: {
        field: 'predicted',
        type: 'nominal',
        sort: order,
        title: 'Predicted',
        axis: { labelAngle: 0 },
      },
      y: { field: 'actual', type: 'nominal', sort: order, title: 'Actual' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            scale: { scheme: 'blues', domainMin: 0 },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 20, fontWeight: 'bold' },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' },
        },
      },
    ],
  } as TopLevelSpec;
}
