export { isHeartError } from '@heart/internal';
export { type CrossValidateOptions, crossValidate } from './cross-validate.js';
export { PipelineError, type PipelineErrorCode, type PipelineErrorOptions } from './errors.js';
export {
  type FieldProblem,
  findInputProblems,
  type InputColumn,
  type InputRecord,
  type InputSchema,
  inputJsonSchema,
  projectRecords,
  signatureInputs,
} from './input-schema.js';
export {
  DEFAULT_MAX_PIPELINE_BYTES,
  type LoadPipelineOptions,
  loadPipeline,
} from './load-pipeline.js';
export type { PipelineMetadata, TrainingSummary } from './metadata.js';
export {
  Pipeline,
  type PipelineFitOptions,
  type PipelineJSON,
  type PipelineOptions,
} from './pipeline.js';
export {
  loadPipelineDir,
  PIPELINE_FILES,
  type PipelineLayout,
  pipelineFiles,
  type ReadPipelineOptions,
  readPipelineFiles,
} from './pipeline-files.js';
export {
  newTrainingId,
  type SavePipelineDirOptions,
  savePipelineDir,
} from './save-pipeline-dir.js';
