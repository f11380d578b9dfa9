import { EXAMPLE_PATIENT } from './schemas.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * A self-contained page for humans, from the OpenAPI document (no scripts, no external assets):
 * the endpoints, the patient fields with what each allows, a curl example.
 *
 * @example
 * const html = docsPage(openApiDocument({ batchLimit: 1000, version: '1.0.0', patientSchema }));
 */
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
      const required = patient.required.includes(name) ? 'yes' : 'no (null or absent: imputed)';
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
