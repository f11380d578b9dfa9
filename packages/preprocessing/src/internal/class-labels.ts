import { formatLabel } from '@heart/internal';
import { PreprocessingError } from '../errors.js';

/** Integer class labels encoded as class numbers, with each class's rows. */
export interface EncodedClasses {
  /** The distinct labels, class `k` first. */
  values: number[];
  /** The rows of each class, ascending. */
  members: number[][];
  /** Row count. */
  length: number;
}

/**
 * Checks that `labels` is a non-empty array of integers and groups its rows by class, classes
 * numbered by first appearance (scikit-learn's `StratifiedKFold` encoding) or, with
 * `order: 'sorted'`, by ascending label (`np.unique`, as `StratifiedShuffleSplit` uses).
 */
export function encodeClasses(
  labels: unknown,
  what: string,
  order: 'appearance' | 'sorted',
): EncodedClasses {
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels)) {
    throw new PreprocessingError({
      code: 'INVALID_INPUT',
      message: `${what}: labels must be an array of integer class labels`,
    });
  }
  const rows = labels as ArrayLike<unknown>;
  if (rows.length === 0) {
    throw new PreprocessingError({ code: 'INVALID_INPUT', message: `${what}: labels is empty` });
  }
  const classOf = new Map<number, number>();
  const members: number[][] = [];
  for (let row = 0; row < rows.length; row++) {
    const label = rows[row];
    if (typeof label !== 'number' || !Number.isInteger(label)) {
      throw new PreprocessingError({
        code: 'INVALID_INPUT',
        message: `${what}: label ${row} is ${typeof label === 'number' ? label : formatLabel(label)}, expected an integer class label`,
      });
    }
    let k = classOf.get(label);
    if (k === undefined) {
      k = members.length;
      classOf.set(label, k);
      members.push([]);
    }
    members[k]!.push(row);
  }
  // Map keys are SameValueZero, so -0 and 0 are one class, as in numpy.
  const values = [...classOf.keys()];
  if (order === 'appearance') return { values, members, length: rows.length };
  const sorted = values.map((_, k) => k).sort((a, b) => values[a]! - values[b]!);
  return {
    values: sorted.map((k) => values[k]!),
    members: sorted.map((k) => members[k]!),
    length: rows.length,
  };
}
