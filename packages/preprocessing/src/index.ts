export { isHeartError } from '@heart/internal';
export {
  type ColumnGroup,
  ColumnPipeline,
  type ColumnPipelineJSON,
  type ColumnPipelineOptions,
  type RecordRow,
} from './column-pipeline.js';
export type { ColumnInput, DenseMatrix } from './dense-matrix.js';
export {
  PreprocessingError,
  type PreprocessingErrorCode,
  type PreprocessingErrorOptions,
} from './errors.js';
export {
  createHeartPreprocessor,
  HEART_CATEGORICAL_COLUMNS,
  HEART_NUMERIC_COLUMNS,
  type HeartPreprocessorOptions,
} from './heart-preprocessor.js';
export { type KFoldOptions, kFold } from './k-fold.js';
export { loadTransformer } from './load-transformer.js';
export type { MatrixInput } from './matrix-input.js';
export {
  OneHotEncoder,
  type OneHotEncoderJSON,
  type OneHotEncoderOptions,
} from './one-hot-encoder.js';
export {
  type ImputeStrategy,
  SimpleImputer,
  type SimpleImputerJSON,
  type SimpleImputerOptions,
} from './simple-imputer.js';
export {
  StandardScaler,
  type StandardScalerJSON,
  type StandardScalerOptions,
} from './standard-scaler.js';
export { type StratifiedKFoldOptions, stratifiedKFold } from './stratified-k-fold.js';
export {
  type SplitMethod,
  type TrainTestIndices,
  type TrainTestSplitOptions,
  trainTestSplit,
} from './train-test-split.js';
export type { Transformer, TransformerJSON } from './transformer.js';
