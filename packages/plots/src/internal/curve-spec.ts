import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions } from '../chart-options.js';
import { CHART_CONFIG } from '../theme.js';

/**
 * Line charts of one curve per model over the unit square (ROC, precision–recall), with the
 * chance diagonal when `diagonal` is set: what the ROC and precision–recall specs share.
 */
export function curveSpec(
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
