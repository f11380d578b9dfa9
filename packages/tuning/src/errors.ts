import { HeartError } from '@heart/internal';

/** The closed set of reasons a @heart/tuning call can fail. */
export type TuningErrorCode =
  /** A search space (JSON or code) is malformed: the message names the path at fault. */
  | 'INVALID_SPACE'
  /** An option of the search has a wrong type or value. */
  | 'INVALID_OPTION'
  /** Features, records or labels are not what the estimator can take. */
  | 'INVALID_INPUT'
  /** A candidate's fit failed (and `errorScore` is `'raise'`): the message names the candidate. */
  | 'FIT_FAILED'
  /** A worker thread could not start or failed. */
  | 'WORKER_FAILED';

/** Options for {@link TuningError}. */
export interface TuningErrorOptions {
  code: TuningErrorCode;
  message: string;
  cause?: unknown;
  /** Where in a search space the fault is (`grid.maxDepth[1]`), for `INVALID_SPACE`. */
  path?: string;
}

/**
 * The one error class of @heart/tuning; `code` is stable, `message` names the parameter, path or
 * candidate at fault.
 *
 * @example
 * ```ts
 * try { parseSearchSpace(json); }
 * catch (error) { if (error instanceof TuningError && error.code === 'INVALID_SPACE') console.error(error.path); }
 * ```
 */
export class TuningError extends HeartError<TuningErrorCode> {
  override readonly name = 'TuningError';
  readonly path: string | undefined;

  constructor({ code, message, cause, path }: TuningErrorOptions) {
    super({ code, message, cause });
    this.path = path;
  }
}
