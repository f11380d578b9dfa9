import { featureFields } from '@heart/data';
import type { InputSchema } from '@heart/pipeline';

/**
 * The input schema of a model saved before models carried theirs (the seed's `models/`, or an
 * MLflow run logged then): the 13 UCI fields, `ca` and `thal` nullable — what the API accepted.
 */
export const LEGACY_INPUT_SCHEMA: InputSchema = featureFields({ ca: 1, thal: 1 });

/** Cleveland row 1: a valid body for /predict. */
export const EXAMPLE_PATIENT = {
  age: 63,
  sex: 1,
  cp: 1,
  trestbps: 145,
  chol: 233,
  fbs: 1,
  restecg: 2,
  thalach: 150,
  exang: 0,
  oldpeak: 2.3,
  slope: 3,
  ca: 0,
  thal: 6,
};

/** The batch body: `{ rows: Patient[] }` with at most `limit` rows. */
export function batchSchema(limit: number) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['rows'],
    properties: {
      rows: { type: 'array', minItems: 1, maxItems: limit, items: { $ref: 'Patient#' } },
    },
  } as const;
}

const MODEL_REF = {
  type: 'object',
  required: ['kind', 'runId', 'version'],
  properties: {
    kind: { type: 'string' },
    runId: { type: ['string', 'null'] },
    version: {
      type: 'string',
      description: 'sha256 (first 12 hex) of the model and preprocessor files',
    },
    registeredVersion: {
      type: 'string',
      description: 'the registered model version served (MODEL_URI=models:/…)',
    },
  },
} as const;

export const PREDICTION_SCHEMA = {
  type: 'object',
  required: ['prediction', 'probability', 'model'],
  properties: {
    prediction: { type: 'integer', enum: [0, 1], description: '1 = heart disease (num > 0)' },
    probability: { type: 'number', description: 'P(heart disease)' },
    model: MODEL_REF,
  },
} as const;

export const BATCH_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['results', 'model'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['prediction', 'probability'],
        properties: { prediction: { type: 'integer' }, probability: { type: 'number' } },
      },
    },
    model: MODEL_REF,
  },
} as const;

export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    requestId: { type: 'string' },
    omitted: {
      type: 'integer',
      description: 'how many more problems there were than details lists (at most 20)',
    },
    details: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' }, allowed: {} },
      },
    },
  },
} as const;
