import type { DenseMatrix, Features } from '../classifier.js';
import { ModelError } from '../errors.js';
import { assertFeatures } from './validate.js';

/** Features checked at the door: rows, or one row-major matrix. */
export interface FeatureInput {
  /** Rows and columns. */
  readonly n: number;
  readonly p: number;
  /** Row-major n × p values, when given as a {@link DenseMatrix}. */
  readonly dense: Float64Array | undefined;
  /** The rows, when given as rows. */
  readonly rows: readonly ArrayLike<number>[] | undefined;
}

/** True for a {@link DenseMatrix} (as opposed to an array of rows). */
function isDenseMatrix(value: unknown): value is DenseMatrix {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    (value as DenseMatrix).data instanceof Float64Array
  );
}

/**
 * Checks rows or a dense matrix (non-empty, rectangular, finite; `width` columns when given) and
 * returns it in one form. `checkDense: false` leaves a dense matrix's values to the caller, who
 * reads them all anyway (LogisticRegression.fit, in WebAssembly) and reports with
 * {@link nonFiniteError}.
 */
export function readFeatures(
  features: Features,
  what: string,
  width?: number,
  checkDense = true,
): FeatureInput {
  if (!isDenseMatrix(features)) {
    const p = assertFeatures(features, what, width);
    return { n: features.length, p, dense: undefined, rows: features };
  }
  const { data, rows, columns } = features;
  const shapeOk = Number.isInteger(rows) && Number.isInteger(columns) && rows > 0 && columns > 0;
  if (!shapeOk || data.length !== rows * columns) {
    throw new ModelError({
      code: 'INVALID_INPUT',
      message: `${what}: a dense matrix needs rows × columns = data.length (got ${String(rows)} × ${String(columns)}, ${data.length} values)`,
    });
  }
  if (width !== undefined && columns !== width) {
    throw new ModelError({
      code: 'SHAPE_MISMATCH',
      message: `${what}: the matrix has ${columns} features, expected ${width}`,
    });
  }
  for (let k = 0; checkDense && k < data.length; k++) {
    const value = data[k]!;
    // value - value is NaN for NaN and ±Infinity: one test, no call.
    if (value - value !== 0) throw nonFiniteError(what, k, columns, value);
  }
  return { n: rows, p: columns, dense: data, rows: undefined };
}

/** The error for the value at row-major index `index` of a matrix `columns` wide. */
export function nonFiniteError(what: string, index: number, columns: number, value: number) {
  return new ModelError({
    code: 'INVALID_INPUT',
    message: `${what}: row ${Math.floor(index / columns)} feature ${index % columns} is ${String(value)}; features must be finite numbers (impute and encode first)`,
  });
}
