import { ColumnPipeline } from './column-pipeline.js';
import { readOptions } from './internal/options.js';
import { OneHotEncoder } from './one-hot-encoder.js';
import { SimpleImputer } from './simple-imputer.js';
import { StandardScaler } from './standard-scaler.js';

/** Numeric columns of the heart preset: median-imputed, then standardised. */
export const HEART_NUMERIC_COLUMNS = ['age', 'trestbps', 'chol', 'thalach', 'oldpeak'] as const;
/** Categorical columns of the heart preset: most-frequent-imputed, then one-hot encoded. */
export const HEART_CATEGORICAL_COLUMNS = [
  'sex',
  'cp',
  'fbs',
  'restecg',
  'exang',
  'slope',
  'ca',
  'thal',
] as const;

/** Options for {@link createHeartPreprocessor}. */
export interface HeartPreprocessorOptions {
  /** Default {@link HEART_NUMERIC_COLUMNS}. */
  numericColumns?: readonly string[];
  /** Default {@link HEART_CATEGORICAL_COLUMNS}. */
  categoricalColumns?: readonly string[];
}

/**
 * The Python pipeline's preprocessor as a preset: numeric columns → median imputation → standard
 * scaling; categorical columns → most-frequent imputation → one-hot encoding with unknown
 * categories ignored. On the 13 UCI features it yields 28 columns.
 *
 * @example
 * ```ts
 * const preprocessor = createHeartPreprocessor().fit(trainRows);
 * preprocessor.featureNames.length; // 28
 * ```
 */
export function createHeartPreprocessor(options: HeartPreprocessorOptions = {}): ColumnPipeline {
  options = readOptions(options, 'createHeartPreprocessor');
  return new ColumnPipeline({
    groups: [
      {
        name: 'num',
        columns: options.numericColumns ?? HEART_NUMERIC_COLUMNS,
        steps: [new SimpleImputer({ strategy: 'median' }), new StandardScaler()],
      },
      {
        name: 'cat',
        columns: options.categoricalColumns ?? HEART_CATEGORICAL_COLUMNS,
        steps: [
          new SimpleImputer({ strategy: 'most_frequent' }),
          new OneHotEncoder({ handleUnknown: 'ignore' }),
        ],
      },
    ],
  });
}
