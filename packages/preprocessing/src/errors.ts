import { HeartError } from '@heart/internal';

/** The closed set of reasons a @heart/preprocessing call can fail. */
export type PreprocessingErrorCode =
  /** Input is not a rectangular numeric matrix, or a value has the wrong type. */
  | 'INVALID_INPUT'
  /** A row lacks a column the transformer needs. */
  | 'MISSING_COLUMN'
  /** Input width differs from the width seen at fit time. */
  | 'SHAPE_MISMATCH'
  /** `transform` called before `fit`. */
  | 'NOT_FITTED'
  /** An option has a wrong type or value. */
  | 'INVALID_OPTION'
  /** `load` got JSON of an unknown `kind` or `formatVersion`, or a malformed state. */
  | 'INVALID_JSON';

/** Options for {@link PreprocessingError}. */
export interface PreprocessingErrorOptions {
  code: PreprocessingErrorCode;
  message: string;
  cause?: unknown;
}

/**
 * The one error class of @heart/preprocessing; `code` is stable, `message` names the row and
 * column at fault.
 *
 * @example
 * ```ts
 * try { pipeline.transform(rows); }
 * catch (error) { if (error instanceof PreprocessingError && error.code === 'MISSING_COLUMN') … }
 * ```
 */
export class PreprocessingError extends HeartError<PreprocessingErrorCode> {
  override readonly name = 'PreprocessingError';

  constructor({ code, message, cause }: PreprocessingErrorOptions) {
    super({ code, message, cause });
  }
}
