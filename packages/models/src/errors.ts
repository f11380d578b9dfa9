import { HeartError } from '@heart/internal';

/** The closed set of reasons a @heart/models call can fail. */
export type ModelErrorCode =
  /** Features or labels are not what a model can take (not rectangular, not finite, not 0/1). */
  | 'INVALID_INPUT'
  /** Features have a different width than the model was fitted on, or labels a different length. */
  | 'SHAPE_MISMATCH'
  /** The labels hold one class only. */
  | 'SINGLE_CLASS'
  /** `predict*` called before `fit`. */
  | 'NOT_FITTED'
  /** The solver reached `maxIter` before converging. */
  | 'NOT_CONVERGED'
  /** A hyperparameter has a wrong type or value. */
  | 'INVALID_OPTION'
  /** `load` got JSON of an unknown `kind` or `formatVersion`, or a malformed state. */
  | 'INVALID_JSON'
  /** A worker thread (`nJobs`) could not start or failed. */
  | 'WORKER_FAILED';

/** Options for {@link ModelError}. */
export interface ModelErrorOptions {
  code: ModelErrorCode;
  message: string;
  cause?: unknown;
}

/**
 * The one error class of @heart/models; `code` is stable, `message` names the row, column or
 * hyperparameter at fault.
 *
 * @example
 * ```ts
 * try { model.fit(features, labels); }
 * catch (error) { if (error instanceof ModelError && error.code === 'SINGLE_CLASS') … }
 * ```
 */
export class ModelError extends HeartError<ModelErrorCode> {
  override readonly name = 'ModelError';

  constructor({ code, message, cause }: ModelErrorOptions) {
    super({ code, message, cause });
  }
}
