import { COLUMN_SPECS } from '@heart/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundleFromDir } from './model-store.js';
import { EXAMPLE_PATIENT } from './schemas.js';
import { writeModelDir } from './test-support/fixtures.js';
import { testApp } from './test-support/inject.js';

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

/** Builds the corpus: every kind of malformed body, each a Buffer or string, with its route. */
function corpus(): { route: string; body: string | Buffer; contentType?: string }[] {
  const random = rng(20261126);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const valid = JSON.stringify(EXAMPLE_PATIENT);
  const out: { route: string; body: string | Buffer; contentType?: string }[] = [];
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
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    const statuses = new Map<number, number>();
    for (const { route, body, contentType } of cases) {
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
      if (response.statusCode < 400 || response.statusCode >= 500) {
        throw new Error(
          `${route} ${JSON.stringify(String(body).slice(0, 120))} → ${response.statusCode} ${response.body.slice(0, 200)}`,
        );
      }
      expect(response.json().error).toMatch(/^[A-Z_]+$/);
    }
    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(900);
    const alive = await app.inject({ method: 'POST', url: '/predict', payload: EXAMPLE_PATIENT });
    expect(alive.statusCode).toBe(200);
  }, 120_000);
});
