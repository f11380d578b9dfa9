import { type ApiProblem, type FieldProblem, MAX_LISTED_PROBLEMS } from '../errors.js';
import { clip } from '../http/content-type.js';

/** How a problem's field is named: `age`, `rows/3/cp`, `row 3: cp`. */
export type FieldPath = (row: number | undefined, name: string) => string;

/** heart's paths: `age` for one patient, `rows/3/cp` in a batch. */
const jsonPointerPath: FieldPath = (row, name) =>
  row === undefined ? name : name === '' ? `rows/${row}` : `rows/${row}/${name}`;

/**
 * The problems of one request: the first {@link MAX_LISTED_PROBLEMS} are listed, the rest only
 * counted — nothing is formatted for them, so a body with thousands of bad fields costs no more
 * memory or time to refuse than one with twenty.
 *
 * @example
 * const problems = new Problems();
 * problems.add(3, 'cp', 'must be one of 1, 2, 3, 4', [1, 2, 3, 4]); // field 'rows/3/cp'
 */
export class Problems {
  readonly listed: FieldProblem[] = [];
  total = 0;

  constructor(readonly path: FieldPath = jsonPointerPath) {}

  /** Counts a problem; lists it (its field name clipped to 64 characters) while there is room. */
  add(row: number | undefined, name: string, message: string, allowed?: unknown): void {
    this.total++;
    if (this.listed.length >= MAX_LISTED_PROBLEMS) return;
    const field = this.path(row, clip(name, 64)) || '(body)';
    this.listed.push(allowed === undefined ? { field, message } : { field, message, allowed });
  }

  get omitted(): number {
    return this.total - this.listed.length;
  }
}

/**
 * The 400 for a body that does not fit the input schema: `VALIDATION_FAILED` naming the listed
 * fields, and how many more there were.
 *
 * @example
 * validationProblem(problems); // { code: 'VALIDATION_FAILED', message: '2 invalid fields: age, cp', details: [...] }
 */
export function validationProblem(problems: Problems): ApiProblem {
  const { listed, total, omitted } = problems;
  const names = listed.map((item) => item.field).join(', ');
  return {
    code: 'VALIDATION_FAILED',
    message: `${total} invalid field${total === 1 ? '' : 's'}: ${names}${omitted > 0 ? `, and ${omitted} more` : ''}`,
    details: listed,
    ...(omitted > 0 ? { omitted } : {}),
  };
}
