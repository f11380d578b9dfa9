import { ownValue } from '@heart/internal';
import type { Patient } from '../score-patient.js';
import { Problems } from '../validation/problems.js';
import { assertRowLimit, type Validators } from '../validators.js';
import { describe, rowPath, toDouble } from './frame-patients.js';
import type { ScoringBody } from './scoring-body.js';
import { pythonList, scoringError, scoringInput } from './scoring-frame.js';

/** `(3,)`, `(1, 2)`: a nested list's shape as numpy prints it (its first row's width). */
function shapeOf(rows: readonly unknown[]): string {
  const first = rows[0];
  return Array.isArray(first) ? `(${rows.length}, ${first.length})` : `(${rows.length},)`;
}

/**
 * The rows of an `/invocations` body for a model with a tensor signature (`float_input`
 * `[-1, 3]`), as MLflow reads them: `inputs` or `instances` as a list of rows, or `inputs` as
 * `{ "float_input": [[…], …] }`; a DataFrame (`dataframe_split`, `dataframe_records`) is MLflow's
 * 400 "Model is missing inputs", CSV its 400 too. Numeric strings and booleans convert as numpy
 * converts them; `null` is refused (MLflow answers a bare NaN). Each row becomes
 * `{ float_input: [x1, x2, x3] }`.
 *
 * @example
 * tensorPatients({ kind: 'json', value: { inputs: [[0.5, -1.2, 0.3]] } }, validators); // [{ float_input: [0.5, -1.2, 0.3] }]
 */
export function tensorPatients(body: ScoringBody, validators: Validators): Patient[] {
  const { name, width } = validators.tensor!;
  const spec = `['${name}': Tensor(float, (-1, ${width}))]`;
  if (body.kind === 'csv') {
    throw scoringError(
      `Failed to parse input as a Pandas DataFrame: this model's signature is a tensor (${spec}), which CSV cannot carry; send {"inputs": [[…], …]}`,
    );
  }
  const { key, value } = scoringInput(body.value);
  const given =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? ownValue(value, name)
      : value;
  if (key.startsWith('dataframe') || given === undefined) {
    throw scoringError(
      `Failed to enforce schema of data with schema ${spec}. Error: Model is missing inputs ${pythonList([name])}.`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  if (!Array.isArray(given) || !given.every((row) => Array.isArray(row) && row.length === width)) {
    const shape = Array.isArray(given) ? shapeOf(given) : '()';
    throw scoringError(
      `Failed to enforce schema of data with schema ${spec}. Error: Shape of input ${shape} does not match expected shape (-1, ${width}).`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  return tensorRows(given as unknown[][], name, validators);
}

function tensorRows(rows: readonly unknown[][], name: string, validators: Validators): Patient[] {
  const count = rows.length;
  if (count === 0) {
    throw scoringError('Invalid input. The data has no rows: send at least one row to score.');
  }
  assertRowLimit(count, validators.batchLimit);
  let problems: Problems | undefined;
  const patients = new Array<Patient>(count);
  for (let row = 0; row < count; row++) {
    const cells = rows[row]!;
    const values = new Array<number>(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const value = toDouble(cells[i]);
      if (typeof value !== 'number') {
        problems ??= new Problems(rowPath);
        const cell = JSON.stringify(cells[i])?.slice(0, 40);
        problems.add(
          row,
          `${name}/${i}`,
          value === null
            ? 'is missing (null or NaN); a tensor has no missing values'
            : `could not convert ${cell} to float`,
        );
      }
      values[i] = value ?? Number.NaN;
    }
    patients[row] = { [name]: values };
  }
  if (problems) {
    throw scoringError(
      `Invalid input. ${problems.total} value${problems.total === 1 ? '' : 's'} could not be used: ${describe(problems)}`,
    );
  }
  return patients;
}
