import { HeartError } from '@heart/internal';

/** The closed set of reasons a @heart/onnx call can fail. */
export type OnnxErrorCode =
  /** An option has a wrong type or value. */
  | 'INVALID_OPTION'
  /** The pipeline is not fitted (or not a heart pipeline at all). */
  | 'NOT_FITTED'
  /** A part of the pipeline has no ONNX form here (an unknown step or classifier kind). */
  | 'UNSUPPORTED_PIPELINE';

/** Options for {@link OnnxError}. */
export interface OnnxErrorOptions {
  code: OnnxErrorCode;
  message: string;
  cause?: unknown;
}

/**
 * The one error class of @heart/onnx; `code` is stable, `message` names the step, option or
 * column at fault.
 *
 * @example
 * ```ts
 * try { exportOnnx(pipeline); }
 * catch (error) { if (error instanceof OnnxError && error.code === 'NOT_FITTED') … }
 * ```
 */
export class OnnxError extends HeartError<OnnxErrorCode> {
  override readonly name = 'OnnxError';

  constructor({ code, message, cause }: OnnxErrorOptions) {
    super({ code, message, cause });
  }
}

/** Shorthand for `UNSUPPORTED_PIPELINE`. */
export function unsupported(message: string): OnnxError {
  return new OnnxError({ code: 'UNSUPPORTED_PIPELINE', message: `exportOnnx: ${message}` });
}
