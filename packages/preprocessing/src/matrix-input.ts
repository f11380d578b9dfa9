/** A numeric matrix as rows; `null` and `NaN` mean missing. */
export type MatrixInput = readonly (ArrayLike<number | null> | readonly (number | null)[])[];
