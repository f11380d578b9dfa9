import { expect } from 'vitest';
import { MlflowError } from '../errors.js';

/** The MlflowError `promise` rejects with (the test fails when it resolves, or rejects with anything else). */
export async function mlflowError(promise: Promise<unknown>): Promise<MlflowError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MlflowError);
  return error as MlflowError;
}
