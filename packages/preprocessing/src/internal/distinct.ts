/**
 * The distinct values of a column (NaN left out, −0 counted as 0 as a Set does) and how often
 * each occurs, in order of first appearance: a linear scan while there are few of them (codes,
 * 0/1 columns: a compare or two per value), a Map beyond 16.
 */
export function distinctCounts(column: ArrayLike<number>): { values: number[]; counts: number[] } {
  const values: number[] = [];
  const counts: number[] = [];
  let map: Map<number, number> | undefined;
  for (let i = 0; i < column.length; i++) {
    const value = column[i]!;
    if (Number.isNaN(value)) continue;
    if (map) {
      const id = map.get(value);
      if (id === undefined) {
        map.set(value, values.length);
        values.push(value === 0 ? 0 : value);
        counts.push(1);
      } else counts[id]!++;
      continue;
    }
    let id = 0;
    while (id < values.length && values[id] !== value) id++;
    if (id < values.length) {
      counts[id]!++;
      continue;
    }
    values.push(value === 0 ? 0 : value);
    counts.push(1);
    if (values.length > 16) map = new Map(values.map((v, k) => [v, k]));
  }
  return { values, counts };
}
