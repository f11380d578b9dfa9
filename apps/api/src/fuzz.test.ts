import { COLUMN_SPECS } from '@heart/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundleFromDir } from './model-store.js';
import { EXAMPLE_PATIENT } from './schemas.js';
import { writeModelDir } from './test-support/fixtures.js';
import { testApp } from './test-support/inject.js';
import { type LiveApp, startLiveApp } from './test-support/live-app.js';
import { rawExchange } from './test-support/raw-http.js';

/** A seeded generator, so the corpus is the same on every run. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = Object.keys(EXAMPLE_PATIENT) as (keyof typeof EXAMPLE_PATIENT)[];
const BAD_VALUES: unknown[] = [
  '63',
  '',
  'NaN',
  'Infinity',
  '-1',
  true,
  false,
  [],
  [63],
  {},
  { value: 63 },
  null,
  1e308,
  -1e308,
  1.7976931348623157e308,
  5e-324,
  -0.5,
  1.5,
  2.5,
  99999,
  -99999,
  0.1,
  'x'.repeat(10_000),
  '\u0000',
  '٣',
  { __proto__: { admin: true } },
];

/** Whether the API must accept `value` for `field` (then it is no malformed case). */
function acceptable(field: keyof typeof EXAMPLE_PATIENT, value: unknown): boolean {
  const spec = COLUMN_SPECS[field];
  if (value === null) return field === 'ca' || field === 'thal';
  if (typeof value !== 'number') return false;
  return spec.kind === 'categorical'
    ? spec.values!.includes(value)
    : value >= spec.min! && value <= spec.max!;
}

/** One body to send; `lenient`: a mutation that may still be a valid request (then 200 is fine). */
interface FuzzCase {
  route: string;
  body: string | Buffer;
  contentType?: string;
  lenient?: boolean;
}

/** Builds the corpus: every kind of malformed body, each a Buffer or string, with its route. */
function corpus(): FuzzCase[] {
  const random = rng(20261126);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const valid = JSON.stringify(EXAMPLE_PATIENT);
  const out: FuzzCase[] = [];
  // Each field with each bad value (wrong type, out of range, huge, non-integer codes).
  for (const field of FIELDS) {
    for (const value of BAD_VALUES) {
      if (acceptable(field, value)) continue;
      out.push({ route: '/predict', body: JSON.stringify({ ...EXAMPLE_PATIENT, [field]: value }) });
    }
  }
  // Each required field missing; unknown fields, including prototype-polluting names.
  for (const field of FIELDS.filter((name) => name !== 'ca' && name !== 'thal')) {
    const { [field]: _dropped, ...rest } = EXAMPLE_PATIENT;
    out.push({ route: '/predict', body: JSON.stringify(rest) });
  }
  for (const extra of [
    'extra',
    'AGE',
    'age ',
    '__proto__',
    'constructor',
    'prototype',
    'num',
    'target',
  ]) {
    out.push({ route: '/predict', body: `{${valid.slice(1, -1)},${JSON.stringify(extra)}:1}` });
  }
  // Not objects at all, empty, whitespace, wrong JSON values.
  for (const body of [
    '',
    ' ',
    '\n\t',
    'null',
    'true',
    '0',
    '-1',
    '"patient"',
    '[]',
    '{}',
    '[{}]',
    '[' + valid + ']',
    'NaN',
    'undefined',
  ]) {
    out.push({ route: '/predict', body });
  }
  // Truncations of a valid body at every position.
  for (let cut = 1; cut < valid.length; cut++)
    out.push({ route: '/predict', body: valid.slice(0, cut) });
  // Deep nesting, valid and not, and very wide objects.
  for (const depth of [100, 1000, 10_000, 100_000]) {
    out.push({ route: '/predict', body: '['.repeat(depth) + ']'.repeat(depth) });
    out.push({ route: '/predict', body: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) });
    out.push({ route: '/predict', body: '['.repeat(depth) });
  }
  out.push({
    route: '/predict',
    body: JSON.stringify(
      Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
    ),
  });
  // Non-UTF-8 and random bytes.
  for (let i = 0; i < 60; i++) {
    const bytes = Buffer.from(
      Array.from({ length: 1 + Math.floor(random() * 200) }, () => Math.floor(random() * 256)),
    );
    out.push({ route: pick(['/predict', '/predict/batch']), body: bytes });
  }
  out.push({
    route: '/predict',
    body: Buffer.concat([
      Buffer.from('{"age":'),
      Buffer.from([0xff, 0xfe, 0xfd]),
      Buffer.from('}'),
    ]),
  });
  out.push({
    route: '/predict',
    body: Buffer.concat([
      Buffer.from(`${valid.slice(0, -1)},"x":"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]),
  });
  // Random mutations of a valid body.
  for (let i = 0; i < 600; i++) {
    const chars = valid.split('');
    for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
      const at = Math.floor(random() * chars.length);
      chars[at] = pick(['"', '{', '}', ',', ':', 'x', '9', '-', '.', ' ', '\\', 'e', '[']);
    }
    const body = chars.join('');
    try {
      const parsed = JSON.parse(body);
      // Skip mutations that are still a valid patient.
      if (
        parsed &&
        typeof parsed === 'object' &&
        JSON.stringify(Object.keys(parsed).sort()) === JSON.stringify([...FIELDS].sort())
      )
        continue;
    } catch {}
    out.push({ route: '/predict', body });
  }
  // Batches: not an array, bad rows, too many rows, wrong wrapper.
  for (const body of [
    '{"rows":{}}',
    '{"rows":"x"}',
    '{"rows":[]}',
    '{"rows":[1,2,3]}',
    '{"rows":[null]}',
    `{"rows":[${valid}],"extra":1}`,
    `{"row":[${valid}]}`,
    `[${valid}]`,
    JSON.stringify({ rows: Array.from({ length: 1001 }, () => EXAMPLE_PATIENT) }),
    JSON.stringify({ rows: [EXAMPLE_PATIENT, { ...EXAMPLE_PATIENT, cp: 0 }] }),
  ]) {
    out.push({ route: '/predict/batch', body });
  }
  // What an outside attack sent: bodies whose errors used to be huge, and more of them.
  const nothing = Array.from({ length: 1000 }, () => ({}));
  const badRow = { ...EXAMPLE_PATIENT, cp: 9, extra: 'x', sex: 'm' };
  out.push({ route: '/predict/batch', body: JSON.stringify({ rows: nothing }) });
  out.push({
    route: '/predict/batch',
    body: JSON.stringify({ rows: Array.from({ length: 1000 }, () => badRow) }),
  });
  out.push({
    route: '/predict/batch',
    body: JSON.stringify({ rows: [{ ...EXAMPLE_PATIENT, ['k'.repeat(50_000)]: 1 }] }),
  });
  out.push({
    route: '/predict',
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"age":63}')]),
  });
  out.push({ route: '/predict', body: Buffer.from([0xef, 0xbb, 0xbf]) });
  out.push({ route: '/predict', body: Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]) });
  for (const charset of ['latin-1', 'utf-16', 'iso-8859-1', '"utf-7"', '']) {
    out.push({
      route: '/predict',
      body: valid,
      contentType: `application/json; charset=${charset}`,
    });
  }
  // The protocols' routes: MLflow's /invocations (JSON and CSV) and the OIP infer, mutated.
  const columns = Object.keys(EXAMPLE_PATIENT);
  const split = JSON.stringify({
    dataframe_split: {
      columns,
      data: [columns.map((c) => EXAMPLE_PATIENT[c as keyof typeof EXAMPLE_PATIENT])],
    },
  });
  const csv = `${columns.join(',')}\n${columns.map((c) => EXAMPLE_PATIENT[c as keyof typeof EXAMPLE_PATIENT]).join(',')}\n`;
  const infer = JSON.stringify({
    inputs: [
      {
        name: 'x',
        shape: [1, 13],
        datatype: 'FP64',
        data: columns.map((c) => EXAMPLE_PATIENT[c as keyof typeof EXAMPLE_PATIENT]),
      },
    ],
  });
  for (const [route, text, contentType] of [
    ['/invocations', split, 'application/json'],
    ['/invocations', csv, 'text/csv'],
    ['/v2/models/heart-disease/infer', infer, 'application/json'],
  ] as const) {
    for (let i = 0; i < 150; i++) {
      const chars = text.split('');
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
        chars[Math.floor(random() * chars.length)] = pick([
          '"',
          '{',
          '}',
          '[',
          ']',
          ',',
          ':',
          'x',
          '-',
          '\\',
          '\n',
          'e',
        ]);
      }
      out.push({ route, body: chars.join(''), contentType, lenient: true });
    }
    for (const cut of [1, 5, 20, text.length >> 1, text.length - 1])
      out.push({ route, body: text.slice(0, cut), contentType, lenient: true });
  }
  for (const body of [
    '{"inputs":[[[[[[[[[[1]]]]]]]]]]}',
    '{"dataframe_records":[null,1,"x"]}',
    '{"instances":{}}',
    '{"inputs":{"age":"x"}}',
    `{"dataframe_split":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  ]) {
    out.push({ route: '/invocations', body });
  }
  for (const body of [
    '{"inputs":[{"name":"x","shape":[1e308,13],"datatype":"FP64","data":[]}]}',
    '{"inputs":[{"name":"x","shape":[-1],"datatype":"FP64","data":[1]}]}',
    `{"inputs":[{"name":"x","shape":[1,13],"datatype":"FP64","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}]}`,
  ]) {
    out.push({ route: '/v2/models/heart-disease/infer', body });
  }
  // Wrong content types with otherwise valid bodies.
  for (const contentType of [
    'text/plain',
    'application/xml',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    'json',
    '',
  ]) {
    out.push({ route: '/predict', body: valid, contentType });
  }
  return out;
}

let fixture: Awaited<ReturnType<typeof writeModelDir>>;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  fixture = await writeModelDir('random-forest');
  app = testApp({ holder: { bundle: await loadBundleFromDir(fixture.dir) } });
});
afterAll(async () => {
  await fixture.cleanup();
});

describe('a generated corpus of malformed bodies', () => {
  it('answers every one with 4xx, never 5xx, and keeps serving', async () => {
    const cases = corpus();
    expect(cases.length).toBeGreaterThanOrEqual(1500);
    const statuses = new Map<number, number>();
    for (const { route, body, contentType, lenient } of cases) {
      const response = await app.inject({
        method: 'POST',
        url: route,
        payload: body,
        headers:
          contentType === undefined
            ? { 'content-type': 'application/json' }
            : contentType
              ? { 'content-type': contentType }
              : {},
      });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      const ok = response.statusCode >= 400 && response.statusCode < 500;
      if (!ok && !(lenient && response.statusCode === 200)) {
        throw new Error(
          `${route} ${JSON.stringify(String(body).slice(0, 120))} → ${response.statusCode} ${response.body.slice(0, 200)}`,
        );
      }
      expect(response.body).not.toMatch(/stack|Traceback|\.ts:\d+/);
      expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(16 * 1024);
      if (response.statusCode === 200) continue;
      if (route === '/invocations') {
        if (response.statusCode !== 415) expect(response.json().error_code).toMatch(/^[A-Z_]+$/);
      } else if (route.startsWith('/v2/')) {
        expect(typeof response.json().error).toBe('string');
      } else {
        expect(response.json().error).toMatch(/^[A-Z_]+$/);
      }
    }
    // Only a mutation that is still a valid request may be answered 200.
    expect(
      [...statuses.keys()].every((status) => status === 200 || (status >= 400 && status < 500)),
    ).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(900);
    const alive = await app.inject({ method: 'POST', url: '/predict', payload: EXAMPLE_PATIENT });
    expect(alive.statusCode).toBe(200);
  }, 120_000);
});

let live: LiveApp;
describe('bodies past the limit, on a real socket', () => {
  beforeAll(async () => {
    live = await startLiveApp({ holder: { bundle: await loadBundleFromDir(fixture.dir) } });
  });
  afterAll(async () => {
    await live.close();
  });

  it('answers every one 413, and every 413 is read by the client (declared or streamed)', async () => {
    const routes = ['/predict', '/predict/batch', '/invocations', '/v2/models/heart-disease/infer'];
    let answered = 0;
    for (const route of routes) {
      for (const size of [1_048_577, 2_000_000, 4 * 1_048_576]) {
        const head = `POST ${route} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`;
        const answer = await rawExchange(
          live.port,
          Buffer.concat([Buffer.from(head), Buffer.alloc(size, 0x20)]),
          { readAfterWrite: true },
        );
        expect(answer.status, `${route} ${size}`).toBe(413);
        answered++;
      }
      const chunked = `POST ${route} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
      const streamed = await rawExchange(live.port, Buffer.from(chunked), {
        keepWriting: Buffer.from(`8000\r\n${'['.repeat(0x8000)}\r\n`),
      });
      expect(streamed.status, `${route} streamed`).toBe(413);
      answered++;
    }
    expect(answered).toBe(16);
    expect(
      (
        await fetch(`${live.url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(EXAMPLE_PATIENT),
        })
      ).status,
    ).toBe(200);
  }, 120_000);
});
