import {
  type Classifier,
  LogisticRegression,
  type LogisticRegressionOptions,
  type ParamValue,
  RandomForest,
  type RandomForestOptions,
} from '@heart/models';
import { TuningError } from './errors.js';

/** The classifiers a search can tune, by kind. */
export type EstimatorKind = 'random-forest' | 'logistic-regression';

/** A candidate's hyperparameters: option name (camelCase, as the constructor takes it) → value. */
export type Params = Record<string, ParamValue>;

/** An unfitted classifier as plain data: what a worker thread builds its copy from. */
export interface EstimatorSpec {
  kind: EstimatorKind;
  options: Params;
}

/** The options each kind takes (and a search may set). */
const ESTIMATOR_OPTIONS: Readonly<Record<EstimatorKind, readonly string[]>> = {
  'random-forest': [
    'nEstimators',
    'maxDepth',
    'minSamplesSplit',
    'minSamplesLeaf',
    'maxFeatures',
    'bootstrap',
    'criterion',
    'seed',
    'maxBins',
  ],
  'logistic-regression': ['C', 'maxIter', 'tol', 'fitIntercept', 'onNotConverged'],
};

/** `rf`, `lr` and the kinds themselves. */
export function readKind(value: unknown, path: string): EstimatorKind {
  if (value === 'rf' || value === 'random-forest') return 'random-forest';
  if (value === 'lr' || value === 'logistic-regression') return 'logistic-regression';
  throw new TuningError({
    code: 'INVALID_SPACE',
    path,
    message: `${path}: expected "rf", "random-forest", "lr" or "logistic-regression", got ${JSON.stringify(value)}`,
  });
}

/** A new, unfitted classifier from its spec (the constructor checks every option). */
export function createClassifier(spec: EstimatorSpec): RandomForest | LogisticRegression {
  return spec.kind === 'random-forest'
    ? new RandomForest(spec.options as RandomForestOptions)
    : new LogisticRegression(spec.options as LogisticRegressionOptions);
}

/** The spec of a classifier instance (its options, not its fitted state); `nJobs` left out. */
export function specOf(classifier: Classifier): EstimatorSpec {
  if (classifier instanceof RandomForest || classifier.kind === 'random-forest') {
    return { kind: 'random-forest', options: { ...(classifier as RandomForest).options } };
  }
  if (classifier instanceof LogisticRegression || classifier.kind === 'logistic-regression') {
    return {
      kind: 'logistic-regression',
      options: { ...(classifier as LogisticRegression).options },
    };
  }
  throw new TuningError({
    code: 'INVALID_OPTION',
    message: `estimator: cannot tune a classifier of kind ${JSON.stringify(classifier.kind)}; expected random-forest or logistic-regression`,
  });
}

/** Throws `INVALID_SPACE` at `path` unless `name` is an option of `kind`. */
export function assertOptionName(kind: EstimatorKind, name: string, path: string): void {
  const known = ESTIMATOR_OPTIONS[kind];
  if (known.includes(name)) return;
  const camel = name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const hint = known.includes(camel) ? `; did you mean "${camel}"?` : '';
  throw new TuningError({
    code: 'INVALID_SPACE',
    path,
    message: `${path}: ${kind} has no option "${name}"${hint} (options: ${known.join(', ')})`,
  });
}
