/** Rows of numeric features (arrays or typed arrays), all of the same width, all finite. */
export type FeatureMatrix = readonly ArrayLike<number>[];

/** One feature's importance, named. */
export interface FeatureImportance {
  /** The name given at fit time, or `x<index>`. */
  feature: string;
  importance: number;
}

/** Options for {@link Classifier.fit}. */
export interface FitOptions {
  /** Names of the feature columns, used by `featureImportances()` and saved with the model. */
  featureNames?: readonly string[];
}

/** Options for {@link Classifier.predict}. */
export interface PredictOptions {
  /** A probability ≥ `threshold` is class 1. Default `0.5`. */
  threshold?: number;
}

/** A hyperparameter value, ready to log. */
export type ParamValue = number | string | boolean | null;

/** What every saved model starts with. */
export interface ModelJSON {
  kind: string;
  formatVersion: number;
}

/** The interface both classifiers share. */
export interface Classifier {
  /** `'logistic-regression'` or `'random-forest'`. */
  readonly kind: string;
  /** Hyperparameters as plain values, in scikit-learn's snake_case, ready to log. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Feature names given at fit time (or `x0…`), once fitted. */
  readonly featureNames: readonly string[];
  /** Learns from `features` and 0/1 `labels`; returns `this`. */
  fit(features: FeatureMatrix, labels: ArrayLike<number>, options?: FitOptions): this;
  /** Probability of class 1 for each row. */
  predictProba(features: FeatureMatrix): Float64Array;
  /** Probability of class 1 for one row, without allocating: the serving fast path. */
  predictProbaRow(row: ArrayLike<number>): number;
  /** 0/1 for each row. */
  predict(features: FeatureMatrix, options?: PredictOptions): Uint8Array;
  /** One importance per feature, in feature order. */
  featureImportances(): FeatureImportance[];
  /** `{ kind, formatVersion, …state }`, plain JSON. */
  toJSON(): ModelJSON;
}
