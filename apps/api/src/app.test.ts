import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelHolder } from './app.js';
import type { PipelineBundle } from './model-bundle.js';
import { loadBundleFromDir } from './model-store.js';
import { EXAMPLE_PATIENT } from './schemas.js';
import { clevelandRows, patientOf, writeModelDir } from './test-support/fixtures.js';
import { testApp } from './test-support/inject.js';

let fixture: Awaited<ReturnType<typeof writeModelDir>>;
let bundle: PipelineBundle;
let holder: ModelHolder;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  fixture = await writeModelDir('random-forest');
  bundle = await loadBundleFromDir(fixture.dir);
  holder = { bundle };
  app = testApp({ holder });
});
afterAll(async () => {
  await fixture.cleanup();
});

const post = (
  url: string,
  payload: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) =>
  app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers,
  });

describe('POST /predict', () => {
  it("answers the model's own probability for a real patient", async () => {
    const rows = await clevelandRows();
    for (const row of rows.slice(0, 20)) {
      const response = await post('/predict', patientOf(row));
      expect(response.statusCode).toBe(200);
      const body = response.json();
      const expected = fixture.model.predictProbaRow(fixture.preprocessor.transformRow(row));
      expect(body.probability).toBe(expected);
      expect(body.prediction).toBe(expected >= 0.5 ? 1 : 0);
      expect(body.model).toEqual({
        kind: 'random-forest',
        runId: 'fixture0run0id0000000000000000001',
        version: holder.bundle!.version,
      });
    }
  });

  it('imputes ca and thal when they are null or absent', async () => {
    const { ca: _ca, thal: _thal, ...withoutOptional } = EXAMPLE_PATIENT;
    const absent = await post('/predict', withoutOptional);
    const nulls = await post('/predict', { ...withoutOptional, ca: null, thal: null });
    expect(absent.statusCode).toBe(200);
    expect(absent.json().probability).toBe(nulls.json().probability);
    expect(absent.json().probability).toBe(
      fixture.model.predictProbaRow(
        fixture.preprocessor.transformRow({ ...withoutOptional, ca: null, thal: null }),
      ),
    );
  });

  it('lists every bad field with what it allows, in one 400', async () => {
    const response = await post('/predict', {
      ...EXAMPLE_PATIENT,
      age: '63',
      cp: 9,
      chol: 5000,
      extra: true,
      sex: undefined,
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries(
      body.details.map((problem: { field: string }) => [problem.field, problem]),
    );
    expect(Object.keys(byField).sort()).toEqual(['age', 'chol', 'cp', 'extra', 'sex']);
    expect(byField.age).toMatchObject({
      message: 'must be a number',
      allowed: { minimum: 1, maximum: 120 },
    });
    expect(byField.cp).toMatchObject({
      message: 'must be one of 1, 2, 3, 4',
      allowed: [1, 2, 3, 4],
    });
    expect(byField.chol).toMatchObject({ message: 'must be ≤ 1000' });
    expect(byField.extra).toMatchObject({ message: 'is not a known field' });
    expect(byField.sex).toMatchObject({ message: 'is required', allowed: [0, 1] });
    expect(body.requestId).toBe(response.headers['x-request-id']);
  });

  it('answers 400 for malformed or empty JSON, 415 for other content types, 413 past the limit', async () => {
    expect((await post('/predict', '{"age": 63,')).json()).toMatchObject({
      error: 'MALFORMED_JSON',
    });
    expect((await post('/predict', '')).statusCode).toBe(400);
    expect((await post('/predict', '{"__proto__": {"x": 1}}')).statusCode).toBe(400);
    const text = await post('/predict', 'age=63', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(
      (await post('/predict', 'age=63', { 'content-type': 'application/x-www-form-urlencoded' }))
        .statusCode,
    ).toBe(415);
    const huge = await post('/predict', { ...EXAMPLE_PATIENT, pad: 'x'.repeat(1_100_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps the caller’s request id and makes one otherwise', async () => {
    const given = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(given.headers['x-request-id']).toBe('trace-42');
    const made = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(made.headers['x-request-id']).toMatch(/^req-/);
  });
});

describe('POST /predict/batch', () => {
  it('answers one result per row, in order', async () => {
    const rows = (await clevelandRows()).slice(0, 50);
    const response = await post('/predict/batch', { rows: rows.map(patientOf) });
    expect(response.statusCode).toBe(200);
    const { results, model } = response.json();
    expect(results).toHaveLength(50);
    results.forEach((result: { probability: number }, i: number) => {
      expect(result.probability).toBe(
        fixture.model.predictProbaRow(fixture.preprocessor.transformRow(rows[i]!)),
      );
    });
    expect(model.kind).toBe('random-forest');
  });

  it('names the row of a bad field, and refuses more rows than the limit', async () => {
    const bad = await post('/predict/batch', {
      rows: [EXAMPLE_PATIENT, { ...EXAMPLE_PATIENT, thal: 5 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([
      { field: 'rows/1/thal', message: 'must be one of 3, 6, 7, null', allowed: [3, 6, 7, null] },
    ]);
    const tooMany = await post('/predict/batch', {
      rows: Array.from({ length: 1001 }, () => EXAMPLE_PATIENT),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({
      error: 'BATCH_TOO_LARGE',
      message: 'a batch may hold at most 1000 rows',
    });
    expect((await post('/predict/batch', { rows: [] })).statusCode).toBe(400);
    expect((await post('/predict/batch', [EXAMPLE_PATIENT])).json().details[0]).toMatchObject({
      field: '(body)',
      message: 'must be a JSON object',
    });
  });
});

describe('the other endpoints', () => {
  it('GET /health and /ready', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/ready')).json()).toMatchObject({
      ready: true,
      model: { kind: 'random-forest' },
    });
    const empty = testApp({ holder: { bundle: undefined } });
    const notReady = await empty.inject('/ready');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().error).toBe('MODEL_NOT_READY');
    expect(
      (await empty.inject({ method: 'POST', url: '/predict', payload: EXAMPLE_PATIENT }))
        .statusCode,
    ).toBe(503);
    // Without a model, a body's own mistakes still come first: 400 for malformed JSON, then 503.
    const columns = Object.keys(EXAMPLE_PATIENT);
    const split = JSON.stringify({
      dataframe_split: { columns, data: [Object.values(EXAMPLE_PATIENT)] },
    });
    const invocations = (payload: string) =>
      empty.inject({
        method: 'POST',
        url: '/invocations',
        payload,
        headers: { 'content-type': 'application/json' },
      });
    expect((await invocations(split.slice(0, -1))).statusCode).toBe(400);
    expect((await invocations(split)).statusCode).toBe(503);
  });

  it('GET /model: kind, metrics, training time, run id and the input schema with allowed values', async () => {
    const body = (await app.inject('/model')).json();
    expect(body).toMatchObject({
      kind: 'random-forest',
      metrics: { roc_auc: 0.95 },
      trainingSeconds: 0.02,
      trainedAt: '2026-11-26T00:00:00.000Z',
      runId: 'fixture0run0id0000000000000000001',
      threshold: 0.5,
    });
    expect(body.featureNames).toHaveLength(28);
    expect(body.input.find((field: { name: string }) => field.name === 'thal')).toMatchObject({
      required: false,
      allowed: [3, 6, 7],
    });
    expect(body.input.find((field: { name: string }) => field.name === 'age')).toMatchObject({
      required: true,
      minimum: 1,
      maximum: 120,
    });
  });

  it('GET /metrics: request counts and latency by route and status, predictions by class, model load time', async () => {
    await post('/predict', EXAMPLE_PATIENT);
    const response = await app.inject('/metrics');
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(
      /heart_http_requests_total\{route="\/predict",method="POST",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /heart_http_requests_total\{route="\/predict",method="POST",status="400"\} \d+/,
    );
    expect(text).toMatch(
      /heart_http_request_duration_seconds_bucket\{le="0.005",route="\/predict",method="POST",status="200"\} \d+/,
    );
    expect(text).toMatch(/heart_predictions_total\{class="[01]"\} \d+/);
    expect(text).toContain('heart_model_load_seconds');
    // Node's process metrics beside them (prom-client's defaults).
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_gc_duration_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it('GET /openapi.json (also /docs/openapi.json): every route, from the validating schemas', async () => {
    const document = (await app.inject('/openapi.json')).json();
    expect((await app.inject('/docs/openapi.json')).json()).toEqual(document);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/predict',
        '/predict/batch',
        '/health',
        '/ready',
        '/model',
        '/metrics',
        '/docs',
        '/redoc',
        '/openapi.json',
        '/invocations',
        '/ping',
        '/version',
        '/v2',
        '/v2/health/live',
        '/v2/health/ready',
        '/v2/models/{model_name}',
        '/v2/models/{model_name}/ready',
        '/v2/models/{model_name}/infer',
        '/v2/models/{model_name}/versions/{model_version}',
        '/v2/models/{model_name}/versions/{model_version}/ready',
        '/v2/models/{model_name}/versions/{model_version}/infer',
      ].sort(),
    );
    expect(document.components.schemas.Patient.properties.cp.enum).toEqual([1, 2, 3, 4]);
    expect(document.components.schemas.Patient.additionalProperties).toBe(false);
  });

  it('every request example in the document is a request the route answers 200', async () => {
    const document = (await app.inject('/openapi.json')).json();
    // The version paths serve a model that came from the registry (models:/heart-disease/3).
    const registered = testApp({
      holder: {
        bundle: { ...holder.bundle!, registeredModel: { name: 'heart-disease', version: '3' } },
      },
    });
    let examples = 0;
    for (const [path, methods] of Object.entries(
      document.paths as Record<
        string,
        {
          post?: {
            requestBody?: {
              content: Record<string, { examples: Record<string, { value: unknown }> }>;
            };
          };
        }
      >,
    )) {
      const body = methods.post?.requestBody;
      if (!body) continue;
      const url = path.replace('{model_name}', 'heart-disease').replace('{model_version}', '3');
      for (const [type, content] of Object.entries(body.content)) {
        for (const [name, example] of Object.entries(content.examples)) {
          const payload =
            typeof example.value === 'string' ? example.value : JSON.stringify(example.value);
          const response = await registered.inject({
            method: 'POST',
            url,
            payload,
            headers: { 'content-type': type },
          });
          expect(response.statusCode, `${path} ${type} ${name}: ${response.body}`).toBe(200);
          examples++;
        }
      }
    }
    expect(examples).toBeGreaterThanOrEqual(10);
  });

  it('GET /docs (Swagger UI) and /redoc (ReDoc): pages whose scripts and styles the API serves itself', async () => {
    for (const [url, assets] of [
      ['/docs', ['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/swagger-init.js']],
      ['/redoc', ['/redoc/redoc.standalone.js']],
    ] as const) {
      const page = await app.inject(url);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.body).not.toMatch(/https?:\/\//);
      expect(page.body).not.toMatch(/<script>|<style>| on\w+=/);
      for (const asset of assets) {
        expect(page.body).toContain(asset);
        const file = await app.inject(asset);
        expect(file.statusCode).toBe(200);
        expect(file.headers['content-type']).toMatch(/^text\/(javascript|css)/);
        expect(file.rawPayload.length).toBeGreaterThan(100);
      }
    }
    expect((await app.inject('/docs/favicon-32x32.png')).headers['content-type']).toBe('image/png');
  });

  it('answers 404 for unknown routes and 405 with Allow for a wrong method', async () => {
    const missing = await app.inject('/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      error: 'NOT_FOUND',
      message: 'no such route; see /docs for the routes',
    });
    const wrong = await app.inject({ method: 'GET', url: '/predict' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect((await app.inject({ method: 'DELETE', url: '/health' })).statusCode).toBe(405);
  });

  it('never leaks a stack trace: an internal failure is a plain 500', async () => {
    const broken: ModelHolder = {
      bundle: {
        ...bundle,
        pipeline: Object.create(bundle.pipeline, {
          predictProbaRow: {
            value: () => {
              throw new Error('secret detail at /src/x.ts:1');
            },
          },
        }),
      },
    };
    const failing = testApp({ holder: broken });
    const response = await failing.inject({
      method: 'POST',
      url: '/predict',
      payload: EXAMPLE_PATIENT,
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'INTERNAL',
      message: 'internal error; the request id is in the logs',
      requestId: expect.any(String),
    });
    expect(response.body).not.toContain('secret');
  });
});
