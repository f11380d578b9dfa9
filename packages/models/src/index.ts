export { isHeartError } from '@heart/internal';
export type {
  Classifier,
  DenseMatrix,
  FeatureImportance,
  FeatureMatrix,
  Features,
  FitOptions,
  ModelJSON,
  ParamValue,
  PredictOptions,
} from './classifier.js';
export { ModelError, type ModelErrorCode, type ModelErrorOptions } from './errors.js';
export { terminateWorkers } from './internal/worker-pool.js';
export { loadModel, type Model } from './load-model.js';
export {
  LogisticRegression,
  type LogisticRegressionFitInfo,
  type LogisticRegressionJSON,
  type LogisticRegressionOptions,
} from './logistic-regression.js';
export {
  type MaxFeatures,
  RandomForest,
  type RandomForestFitInfo,
  type RandomForestFitOptions,
  type RandomForestJSON,
  type RandomForestOptions,
} from './random-forest.js';
