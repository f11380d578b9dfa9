import type { ApiProblem, FieldProblem } from './errors.js';
import type { FieldSchema } from './validators.js';

/** The subset of an ajv error the API reads. */
export interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** What a field accepts, in a form a client can act on. */
function allowedFor(fields: Record<string, FieldSchema>, field: string): unknown {
  const schema = fields[field];
  if (!schema) return undefined;
  if (schema.enum) return schema.enum;
  return {
    minimum: schema.minimum,
    maximum: schema.maximum,
    ...(Array.isArray(schema.type) ? { nullable: true } : {}),
  };
}

/**
 * Turns ajv's errors (all of them: `allErrors`) into one problem per field, each saying what is
 * wrong and what is allowed.
 */
function describeValidationErrors(
  errors: readonly AjvErrorLike[],
  fields: Record<string, FieldSchema>,
  rootFields: readonly string[] = Object.keys(fields),
): FieldProblem[] {
  const fieldNames = Object.keys(fields);
  const problems = new Map<string, FieldProblem>();
  for (const error of errors) {
    const base = error.instancePath.replace(/^\//, '');
    let field = base;
    let message: string;
    let allowed: unknown;
    const leaf = (path: string) => path.split('/').pop() ?? '';
    switch (error.keyword) {
      case 'required':
        field =
          base === ''
            ? String(error.params.missingProperty)
            : `${base}/${String(error.params.missingProperty)}`;
        message = 'is required';
        allowed = allowedFor(fields, String(error.params.missingProperty));
        break;
      case 'additionalProperties':
        field =
          base === ''
            ? String(error.params.additionalProperty)
            : `${base}/${String(error.params.additionalProperty)}`;
        message = 'is not a known field';
        allowed = base === '' ? rootFields : fieldNames;
        break;
      case 'enum':
        message = `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        allowed = error.params.allowedValues;
        break;
      case 'type':
        message = `must be ${typeNames(error.params.type)}`;
        allowed = allowedFor(fields, leaf(base));
        break;
      case 'minimum':
      case 'maximum':
        message = `must be ${error.keyword === 'minimum' ? '≥' : '≤'} ${String(error.params.limit)}`;
        allowed = allowedFor(fields, leaf(base));
        break;
      case 'maxItems':
        message = `may hold at most ${String(error.params.limit)} rows`;
        break;
      case 'minItems':
        message = `must hold at least ${String(error.params.limit)} row`;
        break;
      default:
        message = error.message ?? error.keyword;
    }
    if (field === '') field = '(body)';
    if (field === '(body)' && error.keyword === 'type')
      message = `must be a JSON ${[error.params.type].flat().join(' or ')}`;
    // One problem per field: the first ajv error, with the most specific "allowed".
    const existing = problems.get(field);
    if (!existing)
      problems.set(field, { field, message, ...(allowed === undefined ? {} : { allowed }) });
    else if (existing.allowed === undefined && allowed !== undefined) existing.allowed = allowed;
  }
  return [...problems.values()];
}

/**
 * The answer to a body its schema refused: `BATCH_TOO_LARGE` when the batch has more than
 * `batchLimit` rows, else `VALIDATION_FAILED`; both list every bad field.
 *
 * @example
 * if (!validate(body)) return fail(context, validationProblem(validate.errors ?? [], { fields, rootFields: ['rows'], batchLimit: 1000 }));
 * // { code: 'VALIDATION_FAILED', message: '2 invalid fields: age, cp', details: [...] }
 */
export function validationProblem(
  errors: readonly AjvErrorLike[],
  context: {
    fields: Record<string, FieldSchema>;
    rootFields: readonly string[] | undefined;
    batchLimit: number;
  },
): ApiProblem {
  const { fields, rootFields, batchLimit } = context;
  const details = describeValidationErrors(errors, fields, rootFields);
  if (
    details.some((item) => item.field === 'rows' && item.message.startsWith('may hold at most'))
  ) {
    return {
      code: 'BATCH_TOO_LARGE',
      message: `a batch may hold at most ${batchLimit} rows`,
      details,
    };
  }
  return {
    code: 'VALIDATION_FAILED',
    message: `${details.length} invalid field${details.length === 1 ? '' : 's'}: ${details.map((item) => item.field).join(', ')}`,
    details,
  };
}

const ARTICLES: Record<string, string> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  object: 'an object',
  array: 'an array',
  boolean: 'a boolean',
  null: 'null',
};

function typeNames(type: unknown): string {
  return [type]
    .flat()
    .map((name) => ARTICLES[String(name)] ?? String(name))
    .join(' or ');
}
