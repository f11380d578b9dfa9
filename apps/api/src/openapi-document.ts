import { BATCH_RESPONSE_SCHEMA, batchSchema, ERROR_SCHEMA, PREDICTION_SCHEMA } from './schemas.js';

/** JSON Schema without the `$id` (OpenAPI 3.1 uses JSON Schema 2020-12, which takes the rest). */
function component(schema: Record<string, unknown>): Record<string, unknown> {
  const { $id: _id, ...rest } = schema;
  return JSON.parse(
    JSON.stringify(rest).replaceAll('"Patient#"', '"#/components/schemas/Patient"'),
  );
}

/** `{ schema }` as the JSON content of a request or an answer. */
const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });

/** Error answers by status, each the `Error` schema. */
function errorResponses(codes: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(codes).map(([status, description]) => [
      status,
      { description, content: json({ $ref: '#/components/schemas/Error' }) },
    ]),
  );
}

const CLIENT_ERRORS = {
  '400':
    'Invalid body: every bad field is listed with what it allows (VALIDATION_FAILED), or malformed JSON',
  '413': 'Body larger than the limit',
  '415': 'Content-Type is not application/json',
  '503': 'No model loaded',
};

/** The two POST routes, with their bodies and answers. */
function predictionPaths(batchLimit: number): Record<string, unknown> {
  return {
    '/predict': {
      post: {
        summary: 'Predict for one patient',
        requestBody: { required: true, content: json({ $ref: '#/components/schemas/Patient' }) },
        responses: {
          '200': {
            description: 'Prediction',
            content: json({ $ref: '#/components/schemas/Prediction' }),
          },
          ...errorResponses(CLIENT_ERRORS),
        },
      },
    },
    '/predict/batch': {
      post: {
        summary: `Predict for up to ${batchLimit} patients, one result per row, in order`,
        requestBody: { required: true, content: json(component(batchSchema(batchLimit))) },
        responses: {
          '200': { description: 'Predictions', content: json(component(BATCH_RESPONSE_SCHEMA)) },
          ...errorResponses(CLIENT_ERRORS),
        },
      },
    },
  };
}

/** The GET routes that describe the service. */
function servicePaths(): Record<string, unknown> {
  const get = (summary: string, responses: Record<string, unknown>) => ({
    get: { summary, responses },
  });
  return {
    '/health': get('The process is alive', { '200': { description: '{ "status": "ok" }' } }),
    '/ready': get('A model is loaded', {
      '200': { description: 'Ready' },
      ...errorResponses({ '503': 'Not ready' }),
    }),
    '/model': get(
      'The model served: kind, version, metrics, training time, MLflow run, input schema',
      { '200': { description: 'Model card' } },
    ),
    '/metrics': get('Prometheus metrics (text format 0.0.4)', {
      '200': { description: 'Metrics' },
    }),
    '/docs': get('This documentation as a page; the document itself is /docs/openapi.json', {
      '200': { description: 'HTML' },
    }),
  };
}

/**
 * The OpenAPI 3.1 document, built from the same schemas that validate requests (the patient's is
 * the served pipeline's input schema).
 *
 * @example
 * const document = openApiDocument({ batchLimit: 1000, version: '1.0.0', patientSchema });
 * document.components.schemas.Patient; // patientSchema without its $id
 */
export function openApiDocument(options: {
  batchLimit: number;
  version: string;
  patientSchema: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'heart inference API',
      version: options.version,
      description:
        'Predicts heart disease (UCI num > 0) from the 13 Cleveland attributes with the model trained by `pnpm turbo run train`.',
    },
    paths: { ...predictionPaths(options.batchLimit), ...servicePaths() },
    components: {
      schemas: {
        Patient: component(options.patientSchema),
        Prediction: component(PREDICTION_SCHEMA as unknown as Record<string, unknown>),
        Error: component(ERROR_SCHEMA as unknown as Record<string, unknown>),
      },
    },
  };
}
