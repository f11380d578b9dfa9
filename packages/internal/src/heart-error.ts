/** Marks every heart library's error, across copies of the code (each library bundles its own). */
const MARKER = Symbol.for('heart.error');

/** What every heart error carries: a stable, closed `code` and a message naming what is at fault. */
export interface HeartErrorLike extends Error {
  readonly code: string;
}

/**
 * The base of every heart library's error class (`DataError`, `ModelError`, …): `code` plus the
 * standard `cause`, and a marker that {@link isHeartError} recognises across packages.
 */
export class HeartError<Code extends string = string> extends Error implements HeartErrorLike {
  readonly code: Code;

  constructor(options: { code: Code; message: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    Object.defineProperty(this, MARKER, { value: true });
  }
}

/**
 * Whether `error` comes from a heart library, whichever: one question for an app that reports
 * every library's coded errors the same way.
 *
 * @example
 * ```ts
 * if (isHeartError(error)) console.error(`failed [${error.code}]: ${error.message}`);
 * ```
 */
export function isHeartError(error: unknown): error is HeartErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[MARKER] === true &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}
