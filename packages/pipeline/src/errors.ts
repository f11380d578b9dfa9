import { HeartError } from '@heart/internal';

/** The closed set of reasons a @heart/pipeline call can fail. */
export type PipelineErrorCode =
  /** An option or the input schema has a wrong type or value. */
  | 'INVALID_OPTION'
  /** Records do not fit the input schema; the message lists the rows and fields at fault. */
  | 'INVALID_INPUT'
  /** `predict*` or `toJSON` called before `fit`. */
  | 'NOT_FITTED'
  /** Saved JSON that `loadPipeline` refuses: unknown kind or format, bad state, parts that disagree. */
  | 'INVALID_JSON'
  /** Saved JSON larger than the size limit. */
  | 'TOO_LARGE'
  /** A saved file is missing or cannot be read. */
  | 'FILE_NOT_FOUND'
  /** The folder cannot be written (disk full, read-only, a file in the way); nothing was changed. */
  | 'WRITE_FAILED';

/** Options for {@link PipelineError}. */
export interface PipelineErrorOptions {
  code: PipelineErrorCode;
  message: string;
  cause?: unknown;
  /** The file, URI or JSON path the error is about. */
  source?: string;
}

/**
 * The one error class of @heart/pipeline; `code` is stable, `message` names the row, field, file
 * or JSON path at fault.
 *
 * @example
 * ```ts
 * try { loadPipeline(text); }
 * catch (error) { if (error instanceof PipelineError && error.code === 'INVALID_JSON') … }
 * ```
 */
export class PipelineError extends HeartError<PipelineErrorCode> {
  override readonly name = 'PipelineError';
  readonly source: string | undefined;

  constructor({ code, message, cause, source }: PipelineErrorOptions) {
    super({ code, message, cause });
    this.source = source;
  }
}
