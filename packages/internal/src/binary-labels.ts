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

/**
 * A bad label as an error message shows it: JSON where JSON can say it (`"1"`, `true`, `null`),
 * else its `String` form (`2n` for a bigint, `undefined` for a hole) — never a throw of its own.
 *
 * @example
 * formatLabel(2n); // '2n'
 */
export function formatLabel(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
