import { type InputSchema, inputJsonSchema } from '@heart/pipeline';
import { Ajv, type ValidateFunction } from 'ajv';
import { batchSchema } from './schemas.js';

/** One field's JSON Schema, as the messages read it. */
export interface FieldSchema {
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  type?: unknown;
  description?: string;
}

/** The request validators of one input schema (one model's), compiled once. */
export interface Validators {
  /** One patient (`POST /predict`). */
  patient: ValidateFunction;
  /** `{ rows: Patient[] }` with at most `batchLimit` rows (`POST /predict/batch`). */
  batch: ValidateFunction;
  /** The patient's JSON Schema (`$id: 'Patient'`), for the OpenAPI document. */
  patientSchema: Record<string, unknown>;
  /** Each field's schema, for messages that say what is allowed. */
  fields: Record<string, FieldSchema>;
}

/**
 * Compiles the JSON Schema of `inputSchema` (the served pipeline's) with ajv: every error reported
 * (`allErrors`), nothing coerced, defaulted or removed, strict mode.
 *
 * @example
 * const { patient } = compileValidators(pipeline.inputSchema, 1000);
 * patient({ age: 63 }); // false; patient.errors lists the missing fields
 */
export function compileValidators(inputSchema: InputSchema, batchLimit: number): Validators {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    coerceTypes: false,
    useDefaults: false,
    strict: true,
  });
  const patientSchema = inputJsonSchema(inputSchema, { id: 'Patient' });
  ajv.addSchema(patientSchema);
  return {
    patient: ajv.getSchema('Patient')!,
    batch: ajv.compile(batchSchema(batchLimit)),
    patientSchema,
    fields: patientSchema.properties as Record<string, FieldSchema>,
  };
}
