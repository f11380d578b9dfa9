import type { FieldProblem } from './errors.js';
import { PATIENT_SCHEMA } from './schemas.js';

/** The subset of an ajv error the API reads. */
export interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

type FieldSchema = {
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  type?: unknown;
};
const FIELDS = PATIENT_SCHEMA.properties as Record<string, FieldSchema>;
const FIELD_NAMES = Object.keys(FIELDS);

/** What a field accepts, in a form a client can act on. */
function allowedFor(field: string): unknown {
  const schema = FIELDS[field];
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
export function describeValidationErrors(
  errors: readonly AjvErrorLike[],
  rootFields: readonly string[] = FIELD_NAMES,
): FieldProblem[] {
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
        allowed = allowedFor(String(error.params.missingProperty));
        break;
      case 'additionalProperties':
        field =
          base === ''
            ? String(error.params.additionalProperty)
            : `${base}/${String(error.params.additionalProperty)}`;
        message = 'is not a known field';
        allowed = base === '' ? rootFields : FIELD_NAMES;
        break;
      case 'enum':
        message = `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        allowed = error.params.allowedValues;
        break;
      case 'type':
        message = `must be ${typeNames(error.params.type)}`;
        allowed = allowedFor(leaf(base));
        break;
      case 'minimum':
      case 'maximum':
        message = `must be ${error.keyword === 'minimum' ? '≥' : '≤'} ${String(error.params.limit)}`;
        allowed = allowedFor(leaf(base));
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
