import type { Patient } from '../score-patient.js';
import { type FieldPath, Problems } from '../validation/problems.js';
import { assertRowLimit, type Validators } from '../validators.js';
import { type Frame, pythonList, scoringError } from './scoring-frame.js';

export const rowPath: FieldPath = (row, name) => (row === undefined ? name : `row ${row}: ${name}`);

/** A cell as a number for a `double` column, as pandas converts it; `null` for missing; else undefined (cannot). */
export function toDouble(value: unknown): number | null | undefined {
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    if (/^(nan|NaN|NAN)$/.test(text)) return null;
    const number = Number(text);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

/** What the problems say, bounded: the listed ones, and how many more. */
export function describe(problems: Problems): string {
  const listed = problems.listed.map((item) => `${item.field} ${item.message}`).join('; ');
  return `${listed}${problems.omitted > 0 ? `; and ${problems.omitted} more` : ''}`;
}

/**
 * The patients of a frame, as MLflow's schema enforcement and then heart's input schema see it:
 * every required column present (extra columns dropped; nullable ones may be absent), at least
 * one row and at most `batchLimit`, every cell a number (numeric strings and booleans converted,
 * as pandas does; `null` only where the field is nullable, then imputed), every value allowed by
 * the schema. The 400s carry MLflow's `error_code`: `INVALID_PARAMETER_VALUE` for missing columns
 * and values outside the schema, `BAD_REQUEST` for cells that are not numbers.
 *
 * @example
 * framePatients({ columns: ['age', …], rows: [[63, …]] }, validators); // [{ age: 63, … }]
 */
export function framePatients(frame: Frame, validators: Validators): Patient[] {
  const { batchLimit } = validators;
  const layout = layoutOf(frame.columns, validators);
  if (layout.missing.length > 0) {
    const known = new Set(validators.names);
    const extra = frame.columns.filter((name) => !known.has(name as string));
    throw scoringError(
      `Failed to enforce schema of data with heart's input schema (${validators.names.length} double columns). Error: Model is missing inputs ${pythonList(layout.missing)}.${extra.length > 0 ? ` Note that there were extra inputs: ${pythonList(extra)}` : ''}`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  const count = frame.rows.length;
  if (count === 0) {
    throw scoringError('Invalid input. The data has no rows: send at least one row to score.');
  }
  assertRowLimit(count, batchLimit);
  const { columns } = layout;
  let typeProblems: Problems | undefined;
  const patients = new Array<Patient>(count);
  for (let row = 0; row < count; row++) {
    const cells = frame.rows[row]!;
    const patient = validators.blank();
    for (const { name, nullable, at } of columns) {
      const cell = at < 0 ? null : cells[at];
      const value = typeof cell === 'number' ? cell : toDouble(cell);
      if (value === undefined || (value === null && !nullable)) {
        typeProblems ??= new Problems(rowPath);
        typeProblems.add(
          row,
          name,
          value === undefined
            ? `could not convert ${JSON.stringify(cell)?.slice(0, 40)} to float64`
            : 'is missing (null or NaN); heart needs it',
        );
      }
      patient[name] = value ?? null;
    }
    patients[row] = patient;
  }
  if (typeProblems) {
    throw scoringError(
      `Invalid input. Data is not compatible with model signature: ${typeProblems.total} cell${typeProblems.total === 1 ? '' : 's'} could not be used: ${describe(typeProblems)}`,
    );
  }
  const problems = new Problems(rowPath);
  for (let row = 0; row < count; row++) validators.record(patients[row], row, problems, false);
  if (problems.total > 0) {
    throw scoringError(
      `Invalid input. ${problems.total} value${problems.total === 1 ? '' : 's'} outside heart's input schema: ${describe(problems)}`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  return patients;
}

/** Where each schema column sits in a frame's columns (-1: absent), and the required ones absent. */
interface Layout {
  columns: { name: string; nullable: boolean; at: number }[];
  missing: string[];
}

const layouts = new WeakMap<Validators, Map<string, Layout>>();
/** Per schema, the columns of the last frame and their layout: most clients send one column list. */
const lastLayouts = new WeakMap<Validators, { names: (string | number)[]; layout: Layout }>();

function sameNames(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The layout of `names` for the schema, cached per schema: clients send the same columns again and again. */
function layoutOf(names: readonly (string | number)[], validators: Validators): Layout {
  const last = lastLayouts.get(validators);
  if (last && sameNames(last.names, names)) return last.layout;
  const layout = cachedLayout(names, validators);
  lastLayouts.set(validators, { names: [...names], layout });
  return layout;
}

function cachedLayout(names: readonly (string | number)[], validators: Validators): Layout {
  let cache = layouts.get(validators);
  if (!cache) {
    cache = new Map();
    layouts.set(validators, cache);
  }
  const key = names.join('\u0000');
  let layout = cache.get(key);
  if (layout) return layout;
  const position = new Map<string | number, number>();
  names.forEach((name, i) => {
    if (!position.has(name)) position.set(name, i);
  });
  const { inputSchema } = validators;
  layout = {
    columns: inputSchema.map((c) => ({
      name: c.name,
      nullable: c.nullable,
      at: position.get(c.name) ?? -1,
    })),
    missing: inputSchema.filter((c) => !c.nullable && !position.has(c.name)).map((c) => c.name),
  };
  // Bounded: a client sending new column names every time cannot grow it past 64.
  if (cache.size >= 64) cache.clear();
  if (key.length <= 4096) cache.set(key, layout);
  return layout;
}
