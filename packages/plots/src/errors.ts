import { HeartError } from '@heart/internal';

/** The closed set of reasons a @heart/plots call can fail. */
export type PlotErrorCode =
  /** The data given to a chart is empty, mismatched or not numbers. */
  | 'INVALID_DATA'
  /** vega or resvg could not render the spec. */
  | 'RENDER_FAILED'
  /** The shipped font files are missing (a broken install). */
  | 'FONT_MISSING';

/** Options for {@link PlotError}. */
export interface PlotErrorOptions {
  code: PlotErrorCode;
  message: string;
  cause?: unknown;
}

/**
 * The one error class of @heart/plots.
 *
 * @example
 * ```ts
 * try { rocCurveSpec([]); } catch (error) { if (error instanceof PlotError) error.code; } // 'INVALID_DATA'
 * ```
 */
export class PlotError extends HeartError<PlotErrorCode> {
  override readonly name = 'PlotError';

  constructor({ code, message, cause }: PlotErrorOptions) {
    super({ code, message, cause });
  }
}
