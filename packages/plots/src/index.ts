export { isHeartError } from '@heart/internal';
export { PlotError, type PlotErrorCode, type PlotErrorOptions } from './errors.js';
export {
  type RenderedChart,
  type RenderPngOptions,
  renderChart,
  renderPng,
  renderSvg,
  svgToPng,
} from './render.js';
export {
  type ChartOptions,
  type ConfusionCounts,
  confusionMatrixSpec,
  type FeatureImportanceDatum,
  featureImportanceSpec,
  type PrecisionRecallSeries,
  precisionRecallSpec,
  type RocSeries,
  rocCurveSpec,
} from './specs.js';
export { CHART_CONFIG, FONT_FAMILY } from './theme.js';
