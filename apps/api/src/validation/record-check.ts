import { ownField } from '@heart/internal';
import type { InputColumn, InputSchema } from '@heart/pipeline';
import type { Problems } from './problems.js';

/** One field's rule, with its messages written once. */
interface FieldRule {
  name: string;
  nullable: boolean;
  /** Allowed codes of a categorical field (with `null` when nullable), else undefined. */
  codes: readonly (number | null)[] | undefined;
  min: number;
  max: number;
  allowed: unknown;
  wrongType: string;
  outOfCodes: string;
  below: string;
  above: string;
}

/**
 * Checks one record against the input schema, adding a problem per bad field to `problems`;
 * true when it fits. `row` is the record's index in a batch (undefined: the body itself).
 * With `closed`, fields the schema does not name are problems too.
 */
export type RecordCheck = (
  record: unknown,
  row: number | undefined,
  problems: Problems,
  closed?: boolean,
) => boolean;

function ruleOf(column: InputColumn): FieldRule {
  const codes = column.kind === 'categorical' ? [...(column.values ?? [])] : undefined;
  const listedCodes = codes && column.nullable ? [...codes, null] : codes;
  const min = column.min ?? Number.NEGATIVE_INFINITY;
  const max = column.max ?? Number.POSITIVE_INFINITY;
  return {
    name: column.name,
    nullable: column.nullable,
    codes: listedCodes,
    min,
    max,
    allowed: listedCodes ?? {
      minimum: column.min,
      maximum: column.max,
      ...(column.nullable ? { nullable: true } : {}),
    },
    wrongType: `must be a number${column.nullable ? ' or null' : ''}`,
    outOfCodes: `must be one of ${(listedCodes ?? []).map((code) => JSON.stringify(code)).join(', ')}`,
    below: `must be ≥ ${column.min}`,
    above: `must be ≤ ${column.max}`,
  };
}

/** The problem with one value, or undefined when it fits (JSON numbers are always finite). */
function valueProblem(rule: FieldRule, value: unknown): string | undefined {
  if (value === undefined) return rule.nullable ? undefined : 'is required';
  if (value === null) {
    if (rule.nullable) return undefined;
    return rule.codes ? rule.outOfCodes : rule.wrongType;
  }
  if (rule.codes) return rule.codes.includes(value as number) ? undefined : rule.outOfCodes;
  if (typeof value !== 'number' || Number.isNaN(value)) return rule.wrongType;
  if (value < rule.min) return rule.below;
  if (value > rule.max) return rule.above;
  return undefined;
}

/**
 * Compiles the record check of `schema` (what `inputJsonSchema` says, checked by hand): the same
 * verdicts as the JSON Schema, one message per field, and no work left for a bad record's
 * problems past the twentieth beyond counting them.
 *
 * @example
 * const check = compileRecordCheck(pipeline.inputSchema);
 * const problems = new Problems();
 * check({ age: 63 }, undefined, problems, true); // false; problems.listed names the missing fields
 */
/**
 * The record as an object of fields, or undefined (a problem added) when it is not an object;
 * with `closed`, every field outside `known` is a problem too (listing `names`).
 */
export function recordFields(
  record: unknown,
  row: number | undefined,
  problems: Problems,
  closed: { known: ReadonlySet<string>; names: readonly string[] } | undefined,
): Record<string, unknown> | undefined {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    problems.add(row, '', row === undefined ? 'must be a JSON object' : 'must be an object');
    return undefined;
  }
  const fields = record as Record<string, unknown>;
  if (closed) {
    for (const key in fields)
      if (!closed.known.has(key)) problems.add(row, key, 'is not a known field', closed.names);
  }
  return fields;
}

export function compileRecordCheck(schema: InputSchema): RecordCheck {
  const rules = schema.map(ruleOf);
  const known = new Set(rules.map((rule) => rule.name));
  const names = [...known];
  const fieldNames = { known, names };
  return (record, row, problems, closed = true) => {
    const before = problems.total;
    const fields = recordFields(record, row, problems, closed ? fieldNames : undefined);
    if (!fields) return false;
    for (const rule of rules) {
      const message = valueProblem(rule, ownField(fields, rule.name));
      if (message !== undefined) problems.add(row, rule.name, message, rule.allowed);
    }
    return problems.total === before;
  };
}

/** Whether every row of `columns` (field `c` of row `i` at `values[c * stride + i]`, `NaN` for null) fits the schema. */
export type ColumnsCheck = (columns: {
  count: number;
  stride: number;
  values: Float64Array;
}) => boolean;

/**
 * Compiles the schema's check of rows held as columns (a body read straight from its bytes): the
 * record check's verdicts for records whose every field is a number or null, without a record or
 * a message — a body that does not fit is read again the general way, which names its problems.
 *
 * @example
 * compileColumnsCheck(pipeline.inputSchema)({ count: 100, stride: 100, values }); // true when all fit
 */
export function compileColumnsCheck(schema: InputSchema): ColumnsCheck {
  const rules = schema.map(ruleOf);
  return ({ count, stride, values }) => {
    for (let c = 0; c < rules.length; c++) {
      const { nullable, codes, min, max } = rules[c]!;
      const start = c * stride;
      for (let i = start; i < start + count; i++) {
        const value = values[i]!;
        if (Number.isNaN(value)) {
          if (!nullable) return false;
        } else if (codes ? !codes.includes(value) : value < min || value > max) return false;
      }
    }
    return true;
  };
}
