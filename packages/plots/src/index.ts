export { isHeartError } from '@heart/internal';
export type { ChartOptions } from './chart-options.js';
export { type ConfusionCounts, confusionMatrixSpec } from './confusion-matrix-spec.js';
export { PlotError, type PlotErrorCode, type PlotErrorOptions } from './errors.js';
export { type FeatureImportanceDatum, featureImportanceSpec } from './feature-importance-spec.js';
export { type PrecisionRecallSeries, precisionRecallSpec } from './precision-recall-spec.js';
export {
  type RenderedChart,
  type RenderPngOptions,
  renderChart,
  renderPng,
  renderSvg,
  svgToPng,
} from './render.js';
export { type RocSeries, rocCurveSpec } from './roc-curve-spec.js';
export { CHART_CONFIG, FONT_FAMILY } from './theme.js';
