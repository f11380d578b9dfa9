/** Row i of the result is row i of every part, end to end. */
export function concatenate(parts: Float64Array[][], rows: number): Float64Array[] {
  const out = new Array<Float64Array>(rows);
  for (let i = 0; i < rows; i++) out[i] = concatenateRow(parts.map((part) => part[i]!));
  return out;
}

/** The parts end to end, in one array. */
export function concatenateRow(parts: Float64Array[]): Float64Array {
  let width = 0;
  for (const part of parts) width += part.length;
  const out = new Float64Array(width);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
