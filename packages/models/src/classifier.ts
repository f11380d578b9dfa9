/** Rows of numeric features (arrays or typed arrays), all of the same width, all finite. */
export type FeatureMatrix = readonly ArrayLike<number>[];

/**
 * Features as one row-major block: row i is `data[i * columns … (i + 1) * columns)`. The form
 * for large data (a million rows as rows would cost a JS object each); `@heart/preprocessing`'s
 * `transformColumns` returns it.
 */
export interface DenseMatrix {
  data: Float64Array;
  rows: number;
  columns: number;
}

/** What `fit` and `predictProba` take: rows, or one {@link DenseMatrix}. */
export type Features = FeatureMatrix | DenseMatrix;

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
  fit(features: Features, labels: ArrayLike<number>, options?: FitOptions): this;
  /** Probability of class 1 for each row. */
  predictProba(features: Features): Float64Array;
  /** Probability of class 1 for one row, without allocating: the serving fast path. */
  predictProbaRow(row: ArrayLike<number>): number;
  /** 0/1 for each row. */
  predict(features: Features, options?: PredictOptions): Uint8Array;
  /** One importance per feature, in feature order. */
  featureImportances(): FeatureImportance[];
  /** `{ kind, formatVersion, …state }`, plain JSON. */
  toJSON(): ModelJSON;
}
