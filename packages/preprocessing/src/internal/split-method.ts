import { PreprocessingError } from '../errors.js';
import type { SplitMethod } from '../train-test-split.js';

/** `method` with its default `'heart'`; throws on anything else than `'heart'` or `'sklearn'`. */
export function splitMethod(method: unknown, what: string): SplitMethod {
  if (method === undefined || method === 'heart' || method === 'sklearn') return method ?? 'heart';
  throw new PreprocessingError({
    code: 'INVALID_OPTION',
    message: `${what}: method must be 'heart' or 'sklearn', got ${JSON.stringify(method)}`,
  });
}

/** Throws `INVALID_OPTION` unless a splitter's `options` is an object (they name required fields). */
export function assertSplitOptions(options: unknown, what: string, required: string): void {
  if (options === null || typeof options !== 'object') {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `${what}: options must be an object with ${required}, got ${options === null ? 'null' : typeof options}`,
    });
  }
}
