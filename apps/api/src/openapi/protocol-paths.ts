import { errorResponses, json } from './content.js';
import { REQUEST_EXAMPLES } from './examples.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const scalars = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } };

/**
 * The schemas of the MLflow and OIP bodies.
 *
 * @example
 * protocolSchemas().InferenceRequest; // { type: 'object', required: ['inputs'], … }
 */
export function protocolSchemas(): Record<string, unknown> {
  const tensor = {
    type: 'object',
    required: ['name', 'shape', 'datatype', 'data'],
    properties: {
      name: { type: 'string' },
      shape: { type: 'array', items: { type: 'integer', minimum: 0 } },
      datatype: { type: 'string', enum: ['FP64', 'FP32', 'INT64'] },
      parameters: scalars,
      data: {
        type: 'array',
        description: 'row-major, flat or nested; null where the column is nullable',
      },
    },
  };
  return {
    ScoringRequest: {
      type: 'object',
      description:
        'Exactly one of dataframe_split, dataframe_records, instances, inputs; params optional.',
      properties: {
        dataframe_split: {
          type: 'object',
          required: ['data'],
          properties: {
            columns: { type: 'array', items: { type: 'string' } },
            data: { type: 'array', items: { type: 'array' } },
            index: { type: 'array' },
          },
        },
        dataframe_records: { type: 'array', items: { type: 'object' } },
        instances: { type: 'array', items: { type: 'object' } },
        inputs: {
          oneOf: [
            { type: 'array', items: { type: 'object' } },
            { type: 'object', additionalProperties: { type: 'array' } },
          ],
        },
        params: {
          type: ['object', 'null'],
          properties: {
            threshold: {
              type: 'number',
              minimum: 0,
              maximum: 1,
              description: 'probability ≥ threshold → 1 (default: the model’s)',
            },
          },
        },
      },
    },
    ScoringResponse: {
      type: 'object',
      required: ['predictions'],
      properties: {
        predictions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['prediction', 'probability'],
            properties: {
              prediction: { type: 'integer', enum: [0, 1] },
              probability: { type: 'number' },
            },
          },
        },
      },
    },
    MlflowError: {
      type: 'object',
      required: ['error_code', 'message'],
      properties: { error_code: { type: 'string' }, message: { type: 'string' } },
    },
    InferenceRequest: {
      type: 'object',
      required: ['inputs'],
      properties: {
        id: { type: 'string' },
        parameters: scalars,
        inputs: { type: 'array', minItems: 1, items: tensor },
        outputs: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string', enum: ['label', 'probabilities'] },
              parameters: scalars,
            },
          },
        },
      },
    },
    InferenceResponse: {
      type: 'object',
      required: ['model_name', 'outputs'],
      properties: {
        model_name: { type: 'string' },
        model_version: { type: 'string' },
        id: { type: 'string' },
        outputs: { type: 'array', items: tensor },
      },
    },
    OipError: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
  };
}

const MLFLOW_ERRORS = errorResponses(
  {
    '400':
      'BAD_REQUEST or INVALID_PARAMETER_VALUE (missing columns, values outside the schema, zero rows)',
    '413': 'Body larger than the limit',
    '503': 'No model loaded yet',
  },
  '#/components/schemas/MlflowError',
);
const OIP_ERRORS = errorResponses(
  { '400': 'Invalid request', '404': 'No such model or version', '503': 'No model loaded yet' },
  '#/components/schemas/OipError',
);

/**
 * MLflow's scoring routes and the OIP v2 routes, the model path parameter's example `modelName`.
 *
 * @example
 * protocolPaths('heart-disease')['/invocations'];
 */
export function protocolPaths(modelName: string): Record<string, unknown> {
  const name = {
    name: 'model_name',
    in: 'path',
    required: true,
    schema: { type: 'string' },
    example: modelName,
  };
  const version = {
    name: 'model_version',
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description: 'the registered version or alias served (models:/ only)',
  };
  const oip = (summary: string, schema: string, parameters: unknown[] = []) => ({
    get: {
      tags: ['oip'],
      summary,
      parameters,
      responses: {
        '200': { description: 'OK', content: json({ type: 'object', description: schema }) },
        ...OIP_ERRORS,
      },
    },
  });
  const infer = (parameters: unknown[]) => ({
    post: {
      tags: ['oip'],
      summary: 'Infer: outputs label (INT64 [N]) and probabilities (FP64 [N, 2] = [P(0), P(1)])',
      parameters,
      requestBody: {
        required: true,
        content: json(ref('InferenceRequest'), REQUEST_EXAMPLES.infer),
      },
      responses: {
        '200': { description: 'Inference response', content: json(ref('InferenceResponse')) },
        ...OIP_ERRORS,
      },
    },
  });
  return {
    '/invocations': {
      post: {
        tags: ['mlflow'],
        summary: 'MLflow scoring: dataframe_split, dataframe_records, instances, inputs or CSV',
        requestBody: {
          required: true,
          content: {
            ...json(ref('ScoringRequest'), REQUEST_EXAMPLES.invocations),
            'text/csv': { schema: { type: 'string' }, examples: REQUEST_EXAMPLES.invocationsCsv },
          },
        },
        responses: {
          '200': {
            description: 'One prediction per row, in order',
            content: json(ref('ScoringResponse')),
          },
          '415': {
            description: 'Content type not application/json or text/csv, or not UTF-8 (plain text)',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...MLFLOW_ERRORS,
        },
      },
    },
    '/ping': {
      get: {
        tags: ['mlflow'],
        summary: 'MLflow health check (200, a newline)',
        responses: { '200': { description: 'Alive' } },
      },
    },
    '/version': {
      get: {
        tags: ['mlflow'],
        summary: 'heart’s version, as MLflow answers its own',
        responses: { '200': { description: 'The version string' } },
      },
    },
    '/v2': oip('Server metadata', '{ name, version, extensions }'),
    '/v2/health/live': oip('Server live', '{ live: true }'),
    '/v2/health/ready': oip('Server ready (503 until a model is loaded)', '{ ready: true }'),
    '/v2/models/{model_name}': oip(
      'Model metadata: inputs and outputs',
      '{ name, versions?, platform, inputs, outputs }',
      [name],
    ),
    '/v2/models/{model_name}/ready': oip('Model ready', '{ name, ready }', [name]),
    '/v2/models/{model_name}/infer': infer([name]),
    '/v2/models/{model_name}/versions/{model_version}': oip(
      'Model metadata of a version',
      '{ name, versions, platform, inputs, outputs }',
      [name, version],
    ),
    '/v2/models/{model_name}/versions/{model_version}/ready': oip(
      'Version ready',
      '{ name, ready }',
      [name, version],
    ),
    '/v2/models/{model_name}/versions/{model_version}/infer': infer([name, version]),
  };
}
