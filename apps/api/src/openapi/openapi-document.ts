import { BATCH_RESPONSE_SCHEMA, batchSchema, ERROR_SCHEMA, PREDICTION_SCHEMA } from '../schemas.js';
import { errorResponses, json } from './content.js';
import { REQUEST_EXAMPLES } from './examples.js';
import { protocolPaths, protocolSchemas } from './protocol-paths.js';

/** JSON Schema without the `$id` (OpenAPI 3.1 uses JSON Schema 2020-12, which takes the rest). */
function component(schema: Record<string, unknown>): Record<string, unknown> {
  const { $id: _id, ...rest } = schema;
  return JSON.parse(
    JSON.stringify(rest).replaceAll('"Patient#"', '"#/components/schemas/Patient"'),
  );
}

const CLIENT_ERRORS = {
  '400':
    'Invalid body: the bad fields are listed (at most 20, `omitted` counts the rest) with what they allow, or malformed JSON',
  '413': 'Body larger than the limit (BODY_LIMIT)',
  '415': 'Content-Type is not application/json, or a charset other than UTF-8',
  '503': 'No model loaded yet',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** heart's own routes. */
function heartPaths(batchLimit: number): Record<string, unknown> {
  const get = (tag: string, summary: string, responses: Record<string, unknown>) => ({
    get: { tags: [tag], summary, responses },
  });
  return {
    '/predict': {
      post: {
        tags: ['heart'],
        operationId: 'predict',
        summary: 'Predict for one patient',
        requestBody: { required: true, content: json(ref('Patient'), REQUEST_EXAMPLES.predict) },
        responses: {
          '200': { description: 'Prediction', content: json(ref('Prediction')) },
          ...errorResponses(CLIENT_ERRORS),
        },
      },
    },
    '/predict/batch': {
      post: {
        tags: ['heart'],
        operationId: 'predictBatch',
        summary: `Predict for up to ${batchLimit} patients, one result per row, in order`,
        requestBody: {
          required: true,
          content: json(component(batchSchema(batchLimit)), REQUEST_EXAMPLES.batch),
        },
        responses: {
          '200': { description: 'Predictions', content: json(component(BATCH_RESPONSE_SCHEMA)) },
          ...errorResponses(CLIENT_ERRORS),
        },
      },
    },
    '/health': get('service', 'The process is alive', {
      '200': { description: '{ "status": "ok" }' },
    }),
    '/ready': get('service', 'A model is loaded', {
      '200': { description: 'Ready' },
      ...errorResponses({ '503': 'Not ready' }),
    }),
    '/model': get(
      'service',
      'The model served: name, kind, version, metrics, training, MLflow run, input schema',
      { '200': { description: 'Model card' } },
    ),
    '/metrics': get(
      'service',
      'Prometheus metrics (text format 0.0.4): requests, predictions, model, and Node process metrics',
      { '200': { description: 'Metrics' } },
    ),
    '/docs': get('docs', 'This page: Swagger UI', { '200': { description: 'HTML' } }),
    '/redoc': get('docs', 'The same document in ReDoc', { '200': { description: 'HTML' } }),
    '/openapi.json': get('docs', 'The OpenAPI 3.1 document (also at /docs/openapi.json)', {
      '200': { description: 'OpenAPI 3.1' },
    }),
  };
}

/**
 * The OpenAPI 3.1 document of every route — heart's, MLflow's scoring protocol, the Open Inference
 * Protocol v2, the docs — built from the same schemas that validate requests (the patient's is the
 * served pipeline's input schema), with a valid example for every request body.
 *
 * @example
 * const document = openApiDocument({ batchLimit: 1000, version: '1.0.0', modelName: 'heart-disease', patientSchema });
 * document.components.schemas.Patient; // patientSchema without its $id
 */
export function openApiDocument(options: {
  batchLimit: number;
  version: string;
  modelName: string;
  patientSchema: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'heart inference API',
      version: options.version,
      description: [
        'Predicts heart disease (UCI num > 0) from the 13 Cleveland attributes with the model trained by `pnpm turbo run train`.',
        'Three ways to ask: heart’s own routes (`/predict`, `/predict/batch`), MLflow’s scoring protocol (`/invocations`, as `mlflow models serve` answers it) and the Open Inference Protocol v2 (`/v2/…`, as KServe and Triton speak it).',
        'Every request is checked against the served model’s input schema (the `Patient` schema below); `ca` and `thal` may be null or absent and are then imputed.',
      ].join('\n\n'),
    },
    tags: [
      { name: 'heart', description: 'heart’s own prediction routes' },
      { name: 'mlflow', description: 'MLflow pyfunc scoring server protocol' },
      { name: 'oip', description: 'Open Inference Protocol v2 (REST)' },
      { name: 'service', description: 'health, model card, metrics' },
      { name: 'docs', description: 'this documentation' },
    ],
    paths: { ...heartPaths(options.batchLimit), ...protocolPaths(options.modelName) },
    components: {
      schemas: {
        Patient: component(options.patientSchema),
        Prediction: component(PREDICTION_SCHEMA as unknown as Record<string, unknown>),
        Error: component(ERROR_SCHEMA as unknown as Record<string, unknown>),
        ...protocolSchemas(),
      },
    },
  };
}
