import { type InputSchema, inputJsonSchema } from '@heart/pipeline';
import { ApiError, type ApiProblem } from './errors.js';
import type { Patient } from './score-patient.js';
import { Problems, validationProblem } from './validation/problems.js';
import {
  type ColumnsCheck,
  compileColumnsCheck,
  compileRecordCheck,
  type RecordCheck,
} from './validation/record-check.js';
import { compileTensorCheck } from './validation/tensor-check.js';

/** The request checks of one input schema (one model's), compiled once, swapped with it. */
export interface Validators {
  /** One patient (`POST /predict`): a problem, or undefined when the body fits. */
  patient(body: unknown): ApiProblem | undefined;
  /** `{ rows: Patient[] }` with 1 to `batchLimit` rows (`POST /predict/batch`). */
  batch(body: unknown): ApiProblem | undefined;
  /** One record's check, for the routes that build records themselves (MLflow, OIP). */
  record: RecordCheck;
  /** Rows held as columns (`NaN` for null), for a batch read from its bytes; none for a tensor signature. */
  columns?: ColumnsCheck;
  /** The schema's field names, in order. */
  names: readonly string[];
  /**
   * A new record with every field null, in schema order: the routes that build records fill it
   * in, so their records share one shape (cheaper to fill and to read than records grown key by key).
   */
  blank(): Patient;
  /** The schema itself. */
  inputSchema: InputSchema;
  /** Most rows one request may score. */
  batchLimit: number;
  /** The patient's JSON Schema (`$id: 'Patient'`), for the OpenAPI document. */
  patientSchema: Record<string, unknown>;
  /**
   * Set for an ONNX model with a tensor signature: a record is one row of this `[-1, width]`
   * tensor, `{ [name]: number[width] }` (`names` is `[name]`, `inputSchema` empty).
   */
  tensor?: { name: string; width: number };
}

/**
 * Compiles the request checks of `inputSchema` (the served pipeline's): the verdicts of its JSON
 * Schema (`inputJsonSchema`), nothing coerced or defaulted, every bad field named with what it
 * allows — at most 20 listed, the rest counted, so an error answer stays small whatever the body.
 *
 * @example
 * const { patient } = compileValidators(pipeline.inputSchema, 1000);
 * patient({ age: 63 }); // { code: 'VALIDATION_FAILED', message: '10 invalid fields: sex, …', details }
 */
export function compileValidators(inputSchema: InputSchema, batchLimit: number): Validators {
  return validatorsOf(compileRecordCheck(inputSchema), batchLimit, {
    names: inputSchema.map((column) => column.name),
    inputSchema,
    patientSchema: inputJsonSchema(inputSchema, { id: 'Patient' }),
    columns: compileColumnsCheck(inputSchema),
  });
}

/**
 * The request checks of an ONNX model's tensor signature (`name` `[-1, width]`): each record is
 * one row, `{ [name]: [width numbers] }`, the same error lists as {@link compileValidators}.
 *
 * @example
 * compileTensorValidators({ name: 'float_input', width: 3 }, 1000).patient({ float_input: [1, 2] });
 * // { code: 'VALIDATION_FAILED', message: '1 invalid field: float_input', … }
 */
export function compileTensorValidators(
  tensor: { name: string; width: number },
  batchLimit: number,
): Validators {
  const values = { type: 'number' };
  return validatorsOf(compileTensorCheck(tensor.name, tensor.width), batchLimit, {
    names: [tensor.name],
    inputSchema: [],
    tensor: { name: tensor.name, width: tensor.width },
    patientSchema: {
      $id: 'Patient',
      type: 'object',
      additionalProperties: false,
      required: [tensor.name],
      properties: {
        [tensor.name]: {
          type: 'array',
          items: values,
          minItems: tensor.width,
          maxItems: tensor.width,
          description: `one row of the [-1, ${tensor.width}] tensor the model's signature names`,
        },
      },
    },
  });
}

function validatorsOf(
  record: RecordCheck,
  batchLimit: number,
  described: Pick<Validators, 'names' | 'inputSchema' | 'patientSchema' | 'tensor' | 'columns'>,
): Validators {
  const template: Patient = Object.fromEntries(described.names.map((name) => [name, null]));
  return {
    blank: () => ({ ...template }),
    patient(body) {
      const problems = new Problems();
      return record(body, undefined, problems) ? undefined : validationProblem(problems);
    },
    batch(body) {
      const problems = new Problems();
      const rows = batchRows(body, batchLimit, problems);
      if (!Array.isArray(rows)) return rows;
      for (let row = 0; row < rows.length; row++) record(rows[row], row, problems);
      return problems.total === 0 ? undefined : validationProblem(problems);
    },
    record,
    batchLimit,
    ...described,
  };
}

/** The rows of a batch body, or the problem with its shape (no rows checked yet). */
function batchRows(body: unknown, batchLimit: number, problems: Problems): unknown[] | ApiProblem {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    problems.add(undefined, '', 'must be a JSON object');
    return validationProblem(problems);
  }
  const fields = body as Record<string, unknown>;
  for (const key in fields) {
    if (key !== 'rows') problems.add(undefined, key, 'is not a known field', ['rows']);
  }
  const rows = fields.rows;
  if (!Array.isArray(rows)) {
    problems.add(undefined, 'rows', rows === undefined ? 'is required' : 'must be an array');
    return validationProblem(problems);
  }
  if (rows.length > batchLimit) {
    return {
      code: 'BATCH_TOO_LARGE',
      message: `a batch may hold at most ${batchLimit} rows`,
      details: [{ field: 'rows', message: `may hold at most ${batchLimit} rows` }],
    };
  }
  if (rows.length === 0) problems.add(undefined, 'rows', 'must hold at least 1 row');
  if (problems.total > 0) return validationProblem(problems);
  return rows;
}

/** Refuses a request that scores more than `batchLimit` rows (`BATCH_TOO_LARGE`, every protocol). */
export function assertRowLimit(count: number, batchLimit: number): void {
  if (count > batchLimit) {
    throw new ApiError({
      code: 'BATCH_TOO_LARGE',
      message: `a request may score at most ${batchLimit} rows, got ${count}`,
    });
  }
}
