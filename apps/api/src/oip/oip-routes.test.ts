import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelHolder } from '../app.js';
import type { PipelineBundle } from '../model-bundle.js';
import { loadBundleFromDir } from '../model-store.js';
import { EXAMPLE_PATIENT } from '../schemas.js';
import { clevelandRows, patientOf, writeModelDir } from '../test-support/fixtures.js';
import { testApp } from '../test-support/inject.js';

const COLUMNS = Object.keys(EXAMPLE_PATIENT);
let fixture: Awaited<ReturnType<typeof writeModelDir>>;
let bundle: PipelineBundle;
let rows: Record<string, number | null>[];

beforeAll(async () => {
  fixture = await writeModelDir('random-forest');
  bundle = await loadBundleFromDir(fixture.dir);
  rows = (await clevelandRows()).slice(0, 6).map(patientOf);
});
afterAll(async () => {
  await fixture.cleanup();
});

const registered = (alias?: string): PipelineBundle => ({
  ...bundle,
  registeredModel: { name: 'heart-disease', version: '3', ...(alias ? { alias } : {}) },
});

function app(holder: ModelHolder = { bundle }) {
  const { inject } = testApp({ holder });
  return {
    get: (url: string) => inject({ method: 'GET', url }),
    infer: (body: unknown, url = '/v2/models/heart-disease/infer') =>
      inject({
        method: 'POST',
        url,
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }),
  };
}

const perColumn = (patients: Record<string, number | null>[], datatype = 'FP64') =>
  COLUMNS.map((name) => ({
    name,
    shape: [patients.length],
    datatype,
    data: patients.map((p) => p[name]),
  }));

describe('Open Inference Protocol v2: health and metadata', () => {
  it('GET /v2, /v2/health/live, /v2/health/ready (503 {"error"} until a model is loaded)', async () => {
    const { get } = app();
    expect((await get('/v2')).json()).toEqual({ name: 'heart', version: '0.0.0', extensions: [] });
    expect((await get('/v2/health/live')).json()).toEqual({ live: true });
    expect((await get('/v2/health/ready')).json()).toEqual({ ready: true });
    const empty = app({ bundle: undefined });
    const notReady = await empty.get('/v2/health/ready');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({ error: 'no model is loaded yet' });
    expect((await empty.get('/v2/health/live')).statusCode).toBe(200);
  });

  it('GET /v2/models/{name}: one FP64 [-1] input per column, label INT64 [-1] and probabilities FP64 [-1, 2]', async () => {
    const metadata = (await app().get('/v2/models/heart-disease')).json();
    expect(metadata).toEqual({
      name: 'heart-disease',
      platform: 'heart-pipeline/random-forest',
      inputs: COLUMNS.map((name) => ({ name, datatype: 'FP64', shape: [-1] })),
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [-1] },
        { name: 'probabilities', datatype: 'FP64', shape: [-1, 2] },
      ],
    });
    expect((await app().get('/v2/models/heart-disease/ready')).json()).toEqual({
      name: 'heart-disease',
      ready: true,
    });
    const missing = await app().get('/v2/models/other');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: 'model "other" is not served here; this server serves "heart-disease"',
    });
    expect((await app().get('/v2/models/%E0%A4%A')).statusCode).toBe(404);
  });

  it('serves the registry version and alias the model came through (models:/), and 404 for others', async () => {
    const { get, infer } = app({ bundle: registered('champion') });
    expect((await get('/v2/models/heart-disease')).json().versions).toEqual(['3', 'champion']);
    for (const version of ['3', 'champion']) {
      expect((await get(`/v2/models/heart-disease/versions/${version}`)).statusCode).toBe(200);
      expect((await get(`/v2/models/heart-disease/versions/${version}/ready`)).json()).toEqual({
        name: 'heart-disease',
        ready: true,
      });
      const answer = await infer(
        { inputs: perColumn(rows.slice(0, 1)) },
        `/v2/models/heart-disease/versions/${version}/infer`,
      );
      expect(answer.json()).toMatchObject({ model_name: 'heart-disease', model_version: '3' });
    }
    const other = await get('/v2/models/heart-disease/versions/2');
    expect(other.statusCode).toBe(404);
    expect(other.json().error).toContain('served: 3, champion');
    // Not from the registry: no versions to ask for.
    expect((await app().get('/v2/models/heart-disease/versions/3')).statusCode).toBe(404);
  });
});

describe('POST /v2/models/{name}/infer', () => {
  it('answers label and probabilities [P(0), P(1)] from the pipeline, echoing the id', async () => {
    const answer = await app().infer({ id: 'req-42', inputs: perColumn(rows) });
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    const p = rows.map((row) => bundle.pipeline.predictProbaRow(row));
    expect(body).toEqual({
      model_name: 'heart-disease',
      id: 'req-42',
      outputs: [
        {
          name: 'label',
          shape: [rows.length],
          datatype: 'INT64',
          data: p.map((v) => (v >= 0.5 ? 1 : 0)),
        },
        {
          name: 'probabilities',
          shape: [rows.length, 2],
          datatype: 'FP64',
          data: p.flatMap((v) => [1 - v, v]),
        },
      ],
    });
    expect(body.model_version).toBeUndefined();
    // The inputs in any order: the same answer.
    const reversed = await app().infer({ id: 'req-42', inputs: perColumn(rows).reverse() });
    expect(reversed.json()).toEqual(body);
  });

  it('answers the same whether the common-form reader reads the body or JSON.parse does', async () => {
    const { inject } = testApp({ holder: { bundle } });
    const send = (payload: string, url = '/v2/models/heart-disease/infer') =>
      inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
    const compact = JSON.stringify({ id: 'r', inputs: perColumn(rows) });
    // As Python's json.dumps spaces it, and (read by JSON.parse) indented, with a BOM.
    const spaced = compact.replaceAll('":', '": ').replaceAll(',', ', ');
    const indented = `\uFEFF${JSON.stringify(JSON.parse(compact), null, 2)}`;
    const answers = await Promise.all([compact, spaced, indented].map((text) => send(text)));
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect(answers[1]!.json()).toEqual(answers[0]!.json());
    expect(answers[2]!.json()).toEqual(answers[0]!.json());
    // The errors in the order they always came: the body's JSON, the model path, then the values.
    const malformed = await send(compact.slice(0, -1), '/v2/models/other/infer');
    expect([malformed.statusCode, malformed.json().error]).toEqual([
      400,
      expect.stringContaining('not valid JSON'),
    ]);
    expect((await send(compact, '/v2/models/other/infer')).statusCode).toBe(404);
    const none = testApp({ holder: { bundle: undefined } });
    const notReady = await none.inject({
      method: 'POST',
      url: '/v2/models/heart-disease/infer',
      payload: compact,
      headers: { 'content-type': 'application/json' },
    });
    expect(notReady.statusCode).toBe(503);
  });

  it('takes one [N, 13] tensor under any name, flat or nested, FP64, FP32 or INT64', async () => {
    const complete = rows.filter((row) => row.ca !== null && row.thal !== null);
    const flat = complete.flatMap((row) => COLUMNS.map((c) => row[c]));
    const nested = complete.map((row) => COLUMNS.map((c) => row[c]));
    const expected = complete.map((row) => bundle.pipeline.predictProbaRow(row));
    for (const data of [flat, nested]) {
      const answer = await app().infer({
        inputs: [{ name: 'whatever', shape: [complete.length, 13], datatype: 'FP32', data }],
        outputs: [{ name: 'probabilities' }],
      });
      expect(answer.statusCode).toBe(200);
      expect(answer.json().outputs).toEqual([
        {
          name: 'probabilities',
          shape: [complete.length, 2],
          datatype: 'FP64',
          data: expected.flatMap((v) => [1 - v, v]),
        },
      ]);
    }
    const integers = await app().infer({
      inputs: [
        {
          name: 'x',
          shape: [1, 13],
          datatype: 'INT64',
          data: COLUMNS.map((c) => Math.round(EXAMPLE_PATIENT[c as keyof typeof EXAMPLE_PATIENT])),
        },
      ],
    });
    expect(integers.statusCode).toBe(200);
    const notInteger = await app().infer({
      inputs: [
        {
          name: 'x',
          shape: [1, 13],
          datatype: 'INT64',
          data: COLUMNS.map((c) => EXAMPLE_PATIENT[c as keyof typeof EXAMPLE_PATIENT]),
        },
      ],
    });
    expect(notInteger.statusCode).toBe(400);
    expect(notInteger.json().error).toContain('row 0 oldpeak must be an integer (INT64), got 2.3');
  });

  it('imputes a nullable column that is null or left out, as /predict does', async () => {
    const { ca: _ca, thal: _thal, ...rest } = EXAMPLE_PATIENT;
    const without = COLUMNS.filter((c) => c !== 'ca' && c !== 'thal').map((name) => ({
      name,
      shape: [1],
      datatype: 'FP64',
      data: [rest[name as keyof typeof rest]],
    }));
    const answer = await app().infer({ inputs: without, outputs: [{ name: 'probabilities' }] });
    const p = bundle.pipeline.predictProbaRow({ ...rest, ca: null, thal: null });
    expect(answer.json().outputs[0].data).toEqual([1 - p, p]);
  });

  it('answers {"error"} 400s naming what is wrong, never a stack', async () => {
    const cases: [unknown, string][] = [
      [[], 'the body must be a JSON object with inputs'],
      [{}, 'inputs must be a non-empty array of tensors'],
      [{ inputs: perColumn(rows), id: 7 }, 'id must be a string'],
      [
        { inputs: perColumn(rows), parameters: { a: { b: 1 } } },
        'parameters must be an object of string, number or boolean values',
      ],
      [
        { inputs: perColumn(rows, 'BYTES') },
        'datatype "BYTES" is not supported; send FP64, FP32 or INT64',
      ],
      // Names every object inherits are not datatypes either.
      [{ inputs: perColumn(rows, 'toString') }, 'datatype "toString" is not supported'],
      [{ inputs: perColumn(rows, '__proto__') }, 'datatype "__proto__" is not supported'],
      [
        { inputs: [{ name: 'x', shape: [2, 13], datatype: 'FP64', data: [1, 2] }] },
        'shape [2, 13] holds 26 values, data has 2',
      ],
      [
        { inputs: [{ name: 'x', shape: [1, 12], datatype: 'FP64', data: Array(12).fill(1) }] },
        'a tensor input has shape [N, 13]',
      ],
      [{ inputs: perColumn(rows).slice(1) }, 'missing: age'],
      [
        { inputs: perColumn(rows).map((input, i) => (i === 1 ? perColumn(rows)[0] : input)) },
        'missing: sex; an input is given twice',
      ],
      [
        {
          inputs: perColumn(rows).map((input, i) => (i === 0 ? { ...input, name: 'zzz' } : input)),
        },
        'missing: age; unknown: zzz',
      ],
      [
        {
          inputs: [
            ...perColumn(rows),
            { name: 'zzz', shape: [rows.length], datatype: 'FP64', data: rows.map(() => 1) },
          ],
        },
        'at most 13 inputs',
      ],
      [
        {
          inputs: perColumn(rows).map((input, i) =>
            i === 1 ? { ...input, shape: [1], data: [1] } : input,
          ),
        },
        'every input has shape [6]',
      ],
      [
        { inputs: perColumn([{ ...EXAMPLE_PATIENT, cp: 9, age: null }]) },
        "2 values do not fit the model's inputs: row 0 age must be a number; row 0 cp must be one of 1, 2, 3, 4",
      ],
      [{ inputs: perColumn([]) }, 'the inputs hold no rows'],
      [
        { inputs: perColumn(rows), outputs: [{ name: 'logits' }] },
        'outputs[0].name must be one of label, probabilities',
      ],
      [
        {
          inputs: [
            {
              name: 'x',
              shape: [1, 13],
              datatype: 'FP64',
              data: [[[[[1]]]], ...Array(12).fill(1)],
            },
          ],
        },
        'row 0 age must be a number, got [[[1]]]',
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await app().infer(body);
      expect(answer.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(Object.keys(answer.json())).toEqual(['error']);
      expect(answer.json().error).toContain(message);
    }
    const wrongName = await app().infer({ inputs: perColumn(rows) }, '/v2/models/nope/infer');
    expect(wrongName.statusCode).toBe(404);
    const notReady = await app({ bundle: undefined }).infer({ inputs: perColumn(rows) });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({ error: 'no model is loaded yet' });
    const wrongType = await testApp({ holder: { bundle } }).inject({
      method: 'POST',
      url: '/v2/models/heart-disease/infer',
      payload: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.statusCode).toBe(415);
    expect(Object.keys(wrongType.json())).toEqual(['error']);
  });

  it('GET /model names the model as the OIP paths do', async () => {
    expect((await app().get('/model')).json().name).toBe('heart-disease');
    expect(
      (
        await app({
          bundle: { ...registered(), registeredModel: { name: 'cardio', version: '1' } },
        }).get('/model')
      ).json().name,
    ).toBe('cardio');
  });
});
