import {
  type Classifier,
  LogisticRegression,
  type LogisticRegressionOptions,
  type ParamValue,
  RandomForest,
  type RandomForestOptions,
} from '@heart/models';
import type { ModelKind, TrainOptions } from './options.js';

/** What the pipeline needs to know about each kind of model: one table, no `instanceof`. */
interface ModelKindSpec {
  runName: string;
  /** The `model_type` tag, as the Python pipeline names it. */
  modelType: string;
  /** The classifier the options describe; `overrides` (a search candidate's options) win. */
  create(options: TrainOptions, overrides?: Readonly<Record<string, ParamValue>>): Classifier;
  /** How `featureImportances()` is computed, and what else to log beside it. */
  importance(model: Classifier): { method: string; extra?: Record<string, unknown> };
  /** Whether the run gets a feature-importance chart (the Python pipeline draws the forest's). */
  importanceChart: boolean;
}

export const MODEL_KINDS: Readonly<Record<ModelKind, ModelKindSpec>> = {
  lr: {
    runName: 'logistic-regression',
    modelType: 'logistic_regression',
    create: (options, overrides = {}) =>
      new LogisticRegression({
        C: options.lr.C,
        maxIter: options.lr.maxIter,
        ...(overrides as LogisticRegressionOptions),
      }),
    importance: (model) => {
      const lr = model as LogisticRegression;
      return {
        method: '|coefficient| on standardised features',
        extra: { coefficients: lr.coefficients, intercept: lr.intercept },
      };
    },
    importanceChart: false,
  },
  rf: {
    runName: 'random-forest',
    modelType: 'random_forest',
    create: (options, overrides = {}) =>
      new RandomForest({
        ...options.rf,
        seed: options.seed,
        ...(overrides as RandomForestOptions),
      }),
    importance: () => ({ method: 'mean decrease in impurity' }),
    importanceChart: true,
  },
};

/** The slowest model first: its charts render in the worker while the next one trains. */
export const TRAINING_ORDER: readonly ModelKind[] = ['rf', 'lr'];
