import { type RecordCheck, recordFields } from './record-check.js';

/**
 * The record check of a tensor signature (`float_input` `[-1, 3]`): a record is one row,
 * `{ "float_input": [0.5, -1.2, 0.3] }` — an array of exactly `width` numbers (no `null`: a tensor
 * has no missing values). Problems name the element (`float_input/2`), at most 20 listed.
 *
 * @example
 * const check = compileTensorCheck('float_input', 3);
 * check({ float_input: [0.5, null, 0.3] }, undefined, problems); // false: 'float_input/1 must be a number'
 */
export function compileTensorCheck(name: string, width: number): RecordCheck {
  const shape = `must be an array of ${width} numbers (one row of the [-1, ${width}] tensor)`;
  const fieldNames = { known: new Set([name]), names: [name] };
  return (record, row, problems, closed = true) => {
    const before = problems.total;
    const fields = recordFields(record, row, problems, closed ? fieldNames : undefined);
    if (!fields) return false;
    const values = fields[name];
    if (!Array.isArray(values) || values.length !== width) {
      problems.add(row, name, values === undefined ? 'is required' : shape);
      return false;
    }
    for (let i = 0; i < width; i++) {
      const value = values[i];
      if (typeof value !== 'number' || Number.isNaN(value))
        problems.add(row, `${name}/${i}`, 'must be a number');
    }
    return problems.total === before;
  };
}
