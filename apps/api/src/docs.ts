import {
  BATCH_RESPONSE_SCHEMA,
  batchSchema,
  ERROR_SCHEMA,
  EXAMPLE_PATIENT,
  OPTIONAL_FIELDS,
  PATIENT_SCHEMA,
  PREDICTION_SCHEMA,
} from './schemas.js';

/** JSON Schema without the `$id` (OpenAPI 3.1 uses JSON Schema 2020-12, which takes the rest). */
function component(schema: Record<string, unknown>): Record<string, unknown> {
  const { $id: _id, ...rest } = schema;
  return JSON.parse(
    JSON.stringify(rest).replaceAll('"Patient#"', '"#/components/schemas/Patient"'),
  );
}

/** The OpenAPI 3.1 document, built from the same schemas that validate requests. */
export function openApiDocument(options: {
  batchLimit: number;
  version: string;
}): Record<string, unknown> {
  const errors = (codes: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(codes).map(([status, description]) => [
        status,
        {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      ]),
    );
  const clientErrors = {
    '400':
      'Invalid body: every bad field is listed with what it allows (VALIDATION_FAILED), or malformed JSON',
    '413': 'Body larger than the limit',
    '415': 'Content-Type is not application/json',
    '503': 'No model loaded',
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'heart inference API',
      version: options.version,
      description:
        'Predicts heart disease (UCI num > 0) from the 13 Cleveland attributes with the model trained by `pnpm turbo run train`.',
    },
    paths: {
      '/predict': {
        post: {
          summary: 'Predict for one patient',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Patient' } } },
          },
          responses: {
            '200': {
              description: 'Prediction',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/Prediction' } },
              },
            },
            ...errors(clientErrors),
          },
        },
      },
      '/predict/batch': {
        post: {
          summary: `Predict for up to ${options.batchLimit} patients, one result per row, in order`,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: component(batchSchema(options.batchLimit)) } },
          },
          responses: {
            '200': {
              description: 'Predictions',
              content: { 'application/json': { schema: component(BATCH_RESPONSE_SCHEMA) } },
            },
            ...errors(clientErrors),
          },
        },
      },
      '/health': {
        get: {
          summary: 'The process is alive',
          responses: { '200': { description: '{ "status": "ok" }' } },
        },
      },
      '/ready': {
        get: {
          summary: 'A model is loaded',
          responses: { '200': { description: 'Ready' }, ...errors({ '503': 'Not ready' }) },
        },
      },
      '/model': {
        get: {
          summary:
            'The model served: kind, version, metrics, training time, MLflow run, input schema',
          responses: { '200': { description: 'Model card' } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (text format 0.0.4)',
          responses: { '200': { description: 'Metrics' } },
        },
      },
      '/docs': {
        get: {
          summary: 'This documentation as a page; the document itself is /docs/openapi.json',
          responses: { '200': { description: 'HTML' } },
        },
      },
    },
    components: {
      schemas: {
        Patient: component(PATIENT_SCHEMA as unknown as Record<string, unknown>),
        Prediction: component(PREDICTION_SCHEMA as unknown as Record<string, unknown>),
        Error: component(ERROR_SCHEMA as unknown as Record<string, unknown>),
      },
    },
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A self-contained page for humans, from the same document (no scripts, no external assets). */
export function docsPage(document: Record<string, unknown>): string {
  const patient = (
    document.components as {
      schemas: {
        Patient: { properties: Record<string, Record<string, unknown>>; required: string[] };
      };
    }
  ).schemas.Patient;
  const rows = Object.entries(patient.properties)
    .map(([name, schema]) => {
      const allowed = schema.enum
        ? (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ')
        : `${schema.minimum} … ${schema.maximum}`;
      const required = patient.required.includes(name)
        ? 'yes'
        : OPTIONAL_FIELDS.includes(name as never)
          ? 'no (null or absent: imputed)'
          : 'no';
      return `<tr><td><code>${escapeHtml(name)}</code></td><td>${escapeHtml([schema.type].flat().join(' | '))}</td><td>${escapeHtml(allowed)}</td><td>${required}</td><td>${escapeHtml(String(schema.description ?? ''))}</td></tr>`;
    })
    .join('\n');
  const paths = Object.entries(
    document.paths as Record<string, Record<string, { summary: string }>>,
  )
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, op]) =>
          `<li><code>${method.toUpperCase()} ${escapeHtml(path)}</code> — ${escapeHtml(op.summary)}</li>`,
      ),
    )
    .join('\n');
  const info = document.info as { title: string; version: string; description: string };
  const example = JSON.stringify(EXAMPLE_PATIENT);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}code,pre{background:#f5f5f5}pre{padding:.6rem;overflow:auto}</style>
</head><body>
<h1>${escapeHtml(info.title)}</h1><p>${escapeHtml(info.description)} Version ${escapeHtml(info.version)}. Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Endpoints</h2><ul>${paths}</ul>
<h2>Patient fields</h2><p>Unknown fields are refused; a 400 lists every bad field with what it allows.</p>
<table><tr><th>field</th><th>type</th><th>allowed</th><th>required</th><th>meaning</th></tr>
${rows}
</table>
<h2>Example</h2><pre>curl -s localhost:8000/predict -H 'content-type: application/json' -d '${escapeHtml(example)}'</pre>
</body></html>
`;
}
