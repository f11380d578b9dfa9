/**
 * The first label that is not 0 or 1, with its index, or `undefined` when all are: the one check
 * behind every library's "labels must be 0/1" error (each wraps it in its own coded error).
 */
export function findNonBinaryLabel(
  labels: ArrayLike<unknown>,
): { index: number; value: unknown } | undefined {
  for (let index = 0; index < labels.length; index++) {
    const value = labels[index];
    if (value !== 0 && value !== 1) return { index, value };
  }
  return undefined;
}
