import { ownField } from '@heart/internal';
import { PipelineError } from './errors.js';

/** One raw input field of a pipeline: what a client sends for it. */
export interface InputColumn {
  name: string;
  /** `numeric` fields lie in `[min, max]`; `categorical` fields take one of `values`. */
  kind: 'numeric' | 'categorical';
  description?: string;
  /** Allowed codes of a categorical field, ascending. */
  values?: readonly number[];
  /** Inclusive bounds of a numeric field. */
  min?: number;
  max?: number;
  /** May be `null` or absent (the preprocessor imputes it); every other field is required. */
  nullable: boolean;
}

/** The raw input fields, in order: one source for validation, the MLflow signature and the docs. */
export type InputSchema = readonly InputColumn[];

/**
 * A raw record: field name → number, or `null` / absent where the field is nullable (any object:
 * a plain object, an interface-typed row). Keys the schema does not name are ignored.
 */
export type InputRecord = object;

/** A record's field; a name every object inherits (`constructor`) is absent unless the record's own. */
const field = (record: InputRecord, name: string): unknown => ownField(record, name);

/** A field of a record that does not fit the schema. */
export interface FieldProblem {
  /** 0-based row, for several records. */
  row?: number;
  field: string;
  message: string;
}

/** Checks a schema (from code or from saved JSON); `where` names it in messages. */
export function assertInputSchema(value: unknown, where: string): asserts value is InputSchema {
  function fail(message: string): never {
    throw new PipelineError({ code: 'INVALID_OPTION', message: `${where}: ${message}` });
  }
  if (!Array.isArray(value) || value.length === 0) fail('must be a non-empty array of columns');
  const names = new Set<string>();
  for (const [index, item] of (value as unknown[]).entries()) {
    if (!item || typeof item !== 'object') fail(`column ${index} is not an object`);
    const column = item as Partial<InputColumn>;
    if (typeof column.name !== 'string' || column.name === '' || names.has(column.name))
      fail(`column ${index} needs a unique, non-empty name, got ${JSON.stringify(column.name)}`);
    names.add(column.name);
    if (column.kind !== 'numeric' && column.kind !== 'categorical')
      fail(`${column.name}: kind must be numeric or categorical`);
    if (typeof column.nullable !== 'boolean') fail(`${column.name}: nullable must be a boolean`);
    const codes = column.values;
    if (
      column.kind === 'categorical' &&
      (!Array.isArray(codes) || codes.length === 0 || !codes.every(Number.isFinite))
    )
      fail(`${column.name}: a categorical column needs its codes in values`);
    for (const bound of ['min', 'max'] as const) {
      const limit = column[bound];
      if (limit !== undefined && !Number.isFinite(limit))
        fail(`${column.name}: ${bound} must be a finite number`);
    }
  }
}

/** What is wrong with one field's value, or `undefined` when it fits. */
function fieldProblem(column: InputColumn, value: unknown): string | undefined {
  if (value === undefined || value === null) return column.nullable ? undefined : 'is required';
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
  if (column.kind === 'categorical') {
    return column.values?.includes(value)
      ? undefined
      : `must be one of ${column.values?.join(', ')}, got ${value}`;
  }
  if (column.min !== undefined && value < column.min)
    return `must be ≥ ${column.min}, got ${value}`;
  if (column.max !== undefined && value > column.max)
    return `must be ≤ ${column.max}, got ${value}`;
  return undefined;
}

/**
 * The fields of `records` that do not fit `schema` (at most `limit`, default 20), row by row.
 * Fields the schema does not name are ignored.
 */
export function findInputProblems(
  schema: InputSchema,
  records: readonly InputRecord[],
  limit = 20,
): { problems: FieldProblem[]; total: number } {
  const problems: FieldProblem[] = [];
  let total = 0;
  records.forEach((record, row) => {
    if (record === null || typeof record !== 'object') {
      total++;
      if (problems.length < limit) problems.push({ row, field: '', message: 'is not an object' });
      return;
    }
    for (const column of schema) {
      const message = fieldProblem(column, field(record, column.name));
      if (message === undefined) continue;
      total++;
      if (problems.length < limit) problems.push({ row, field: column.name, message });
    }
  });
  return { problems, total };
}

/**
 * The JSON Schema of one record (what an HTTP API validates a request body against): every field
 * typed, bounded and described; nullable fields may be `null` or absent; nothing else allowed.
 *
 * @example
 * ```ts
 * const schema = inputJsonSchema(pipeline.inputSchema, { id: 'Patient' });
 * new Ajv().compile(schema)({ age: 63, … });
 * ```
 */
export function inputJsonSchema(
  schema: InputSchema,
  options: { id?: string } = {},
): Record<string, unknown> {
  const property = (column: InputColumn): Record<string, unknown> => {
    const base: Record<string, unknown> =
      column.kind === 'categorical'
        ? {
            type: column.nullable ? ['integer', 'null'] : 'integer',
            enum: column.nullable ? [...(column.values ?? []), null] : [...(column.values ?? [])],
          }
        : {
            type: column.nullable ? ['number', 'null'] : 'number',
            ...(column.min === undefined ? {} : { minimum: column.min }),
            ...(column.max === undefined ? {} : { maximum: column.max }),
          };
    return column.description === undefined ? base : { ...base, description: column.description };
  };
  return {
    ...(options.id === undefined ? {} : { $id: options.id }),
    type: 'object',
    additionalProperties: false,
    required: schema.filter((column) => !column.nullable).map((column) => column.name),
    properties: Object.fromEntries(schema.map((column) => [column.name, property(column)])),
  };
}

/**
 * The inputs of an MLflow model signature (column-based, `double` for every field: JSON numbers
 * arrive as float64), `required: false` exactly for the nullable fields.
 */
export function signatureInputs(
  schema: InputSchema,
): { name: string; type: 'double'; required: boolean }[] {
  return schema.map((column) => ({
    name: column.name,
    type: 'double',
    required: !column.nullable,
  }));
}

/** Records cut down to the schema's fields, in schema order (an input example). */
export function projectRecords(
  schema: InputSchema,
  records: readonly InputRecord[],
): Record<string, number | null>[] {
  return records.map((record) =>
    Object.fromEntries(
      schema.map((column) => [column.name, (field(record, column.name) as number | null) ?? null]),
    ),
  );
}
