import { expect } from 'vitest';
import { ModelError } from '../errors.js';

/** Runs `fn`, expects it to throw a ModelError, and returns it. */
export function modelError(fn: () => unknown): ModelError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }
  throw new Error('expected a ModelError');
}
