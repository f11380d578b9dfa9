export { isHeartError } from '@heart/internal';
export {
  type ClassificationReport,
  type ClassificationReportOptions,
  classificationReport,
} from './classification-report.js';
export {
  type ConfusionMatrix,
  confusionMatrix,
  type ThresholdOptions,
} from './confusion-matrix.js';
export {
  type PrecisionRecallCurve,
  precisionRecallCurve,
  type RocCurve,
  type RocCurveOptions,
  rocCurve,
} from './curves.js';
export { MetricsError, type MetricsErrorCode, type MetricsErrorOptions } from './errors.js';
export { brierScore, type LogLossOptions, logLoss } from './probability-metrics.js';
export { averagePrecision, rocAuc } from './ranking-metrics.js';
export { accuracy, f1, precision, recall } from './threshold-metrics.js';
export type { Labels, Scores } from './types.js';
