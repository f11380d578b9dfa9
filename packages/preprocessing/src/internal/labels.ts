import { PreprocessingError } from '../errors.js';

/** Checks that `labels` is a non-empty array of 0/1 values and returns the indices of each class. */
export function indicesByClass(labels: unknown, what: string): [number[], number[]] {
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels)) {
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `${what}: labels must be an array of 0/1`,
    });
  }
  const values = labels as ArrayLike<unknown>;
  const classes: [number[], number[]] = [[], []];
  for (let i = 0; i < values.length; i++) {
    const label = values[i];
    if (label !== 0 && label !== 1) {
      throw new PreprocessingError({
        code: 'INVALID_INPUT',
        message: `${what}: label ${i} is ${JSON.stringify(label)}, expected 0 or 1`,
      });
    }
    classes[label].push(i);
  }
  return classes;
}
