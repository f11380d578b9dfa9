import type { TopLevelSpec } from 'vega-lite';
import { PlotError } from './errors.js';
import { CHART_CONFIG } from './theme.js';

/** One feature's importance. */
export interface FeatureImportanceDatum {
  feature: string;
  importance: number;
}

/** One model's ROC curve. */
export interface RocSeries {
  /** The model's name, shown in the legend with its AUC. */
  name: string;
  fpr: readonly number[];
  tpr: readonly number[];
  auc: number;
}

/** One model's precision–recall curve. */
export interface PrecisionRecallSeries {
  name: string;
  precision: readonly number[];
  recall: readonly number[];
  averagePrecision: number;
}

/** Counts of a binary confusion matrix. */
export interface ConfusionCounts {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/** Common chart options. */
export interface ChartOptions {
  title?: string;
  /** Plot area width in px. Default 480. */
  width?: number;
  /** Plot area height in px. Default 360 (bars: 18 px per feature). */
  height?: number;
}

function invalid(message: string): PlotError {
  return new PlotError({ code: 'INVALID_DATA', message });
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
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
    throw invalid('featureImportanceSpec: no importances');
  for (const item of importances) {
    if (typeof item?.feature !== 'string' || !finite(item.importance)) {
      throw invalid(
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

function curveSpec(
  rows: Record<string, number | string>[],
  axes: { x: string; y: string; xTitle: string; yTitle: string },
  options: ChartOptions,
  title: string,
  diagonal: boolean,
): TopLevelSpec {
  const lines = {
    data: { values: rows },
    mark: { type: 'line' as const, strokeWidth: 2, interpolate: 'linear' as const },
    encoding: {
      x: {
        field: axes.x,
        type: 'quantitative' as const,
        title: axes.xTitle,
        scale: { domain: [0, 1] },
      },
      y: {
        field: axes.y,
        type: 'quantitative' as const,
        title: axes.yTitle,
        scale: { domain: [0, 1] },
      },
      color: {
        field: 'model',
        type: 'nominal' as const,
        title: null,
        legend: { orient: 'bottom-right' as const, fillColor: 'white', padding: 6 },
      },
      order: { field: 'i', type: 'quantitative' as const },
    },
  };
  const layer = [lines];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    title: options.title ?? title,
    width: options.width ?? 420,
    height: options.height ?? 360,
    layer: diagonal
      ? [
          {
            data: {
              values: [
                { a: 0, b: 0 },
                { a: 1, b: 1 },
              ],
            },
            mark: { type: 'line', strokeDash: [4, 4], color: '#999999' },
            encoding: {
              x: { field: 'a', type: 'quantitative' },
              y: { field: 'b', type: 'quantitative' },
            },
          },
          ...layer,
        ]
      : layer,
  } as TopLevelSpec;
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
  if (!Array.isArray(series) || series.length === 0) throw invalid('rocCurveSpec: no series');
  const rows = series.flatMap((item) => {
    if (
      !Array.isArray(item.fpr) ||
      item.fpr.length !== item.tpr?.length ||
      item.fpr.length < 2 ||
      !finite(item.auc)
    ) {
      throw invalid(
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
    throw invalid('precisionRecallSpec: no series');
  const rows = series.flatMap((item) => {
    if (
      !Array.isArray(item.recall) ||
      item.recall.length !== item.precision?.length ||
      item.recall.length < 2 ||
      !finite(item.averagePrecision)
    ) {
      throw invalid(
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
      throw invalid(`confusionMatrixSpec: ${key} must be a count, got ${counts?.[key]}`);
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
