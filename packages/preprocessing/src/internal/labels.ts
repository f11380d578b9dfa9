import { findNonBinaryLabel, formatLabel } from '@heart/internal';
import { PreprocessingError } from '../errors.js';

/** Checks that `labels` is a non-empty array of 0/1 values and returns the indices of each class. */
export function indicesByClass(labels: unknown, what: string): [number[], number[]] {
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels)) {
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `${what}: labels must be an array of 0/1`,
    });
  }
  const values = labels as ArrayLike<number>;
  const bad = findNonBinaryLabel(values);
  if (bad) {
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `${what}: label ${bad.index} is ${formatLabel(bad.value)}, expected 0 or 1`,
    });
  }
  const classes: [number[], number[]] = [[], []];
  for (let i = 0; i < values.length; i++) classes[values[i] as 0 | 1].push(i);
  return classes;
}
