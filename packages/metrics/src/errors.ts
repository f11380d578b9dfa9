import { HeartError } from '@heart/internal';

/** The closed set of reasons a @heart/metrics call can fail. */
export type MetricsErrorCode =
  /** Labels and scores have different lengths. */
  | 'LENGTH_MISMATCH'
  /** No values at all. */
  | 'EMPTY_INPUT'
  /** A label is not 0 or 1. */
  | 'INVALID_LABEL'
  /** A score is NaN, infinite, or (for probability metrics) outside [0, 1]. */
  | 'INVALID_SCORE'
  /** The metric is undefined because only one class is present (ROC AUC, average precision). */
  | 'SINGLE_CLASS'
  /** An option has a wrong type or value. */
  | 'INVALID_OPTION';

/** Options for {@link MetricsError}. */
export interface MetricsErrorOptions {
  code: MetricsErrorCode;
  message: string;
  cause?: unknown;
}

/**
 * The one error class of @heart/metrics; `code` is stable, `message` names the index at fault.
 *
 * @example
 * ```ts
 * try { rocAuc([1, 1], [0.2, 0.9]); }
 * catch (error) { if (error instanceof MetricsError) error.code; } // 'SINGLE_CLASS'
 * ```
 */
export class MetricsError extends HeartError<MetricsErrorCode> {
  override readonly name = 'MetricsError';

  constructor({ code, message, cause }: MetricsErrorOptions) {
    super({ code, message, cause });
  }
}
