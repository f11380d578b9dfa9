import { featureFields } from '@heart/data';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PATIENT } from './schemas.js';
import { compileValidators } from './validators.js';

const schema = featureFields({ ca: 1, thal: 1 });
const validators = compileValidators(schema, 1000);
const ajv = new Ajv({ allErrors: true, strict: true }).compile(validators.patientSchema);

/** The fields ajv finds at fault, as heart names them. */
function ajvFields(body: unknown): string[] {
  if (ajv(body)) return [];
  const fields = (ajv.errors ?? []).map((error) => {
    const base = error.instancePath.replace(/^\//, '');
    const extra = error.params.missingProperty ?? error.params.additionalProperty;
    return base === '' ? String(extra ?? '(body)') : base;
  });
  return [...new Set(fields)].sort();
}

const heartFields = (body: unknown) =>
  (validators.patient(body)?.details ?? []).map((item) => item.field).sort();

const VALUES: unknown[] = [
  null,
  undefined,
  0,
  1,
  2,
  3,
  4,
  6,
  7,
  -1,
  0.5,
  63,
  1000,
  1e9,
  '1',
  true,
  [],
  {},
];

describe('the hand-written request checks', () => {
  it('refuse exactly what the JSON Schema (ajv) refuses, field by field', () => {
    let cases = 0;
    for (const name of Object.keys(EXAMPLE_PATIENT)) {
      for (const value of VALUES) {
        const body: Record<string, unknown> = { ...EXAMPLE_PATIENT, [name]: value };
        if (value === undefined) delete body[name];
        expect(heartFields(body), `${name}=${JSON.stringify(value)}`).toEqual(ajvFields(body));
        cases++;
      }
    }
    for (const body of [
      null,
      [],
      'x',
      7,
      {},
      { ...EXAMPLE_PATIENT, extra: 1, __proto__x: 2 },
      JSON.parse('{"__proto__":1}'),
    ]) {
      expect(heartFields(body), JSON.stringify(body)).toEqual(ajvFields(body));
    }
    expect(cases).toBeGreaterThan(200);
  });

  it('read a field named as something every object inherits only from the body itself', () => {
    const odd = compileValidators(
      [
        { name: 'constructor', kind: 'numeric', min: 0, max: 9, nullable: true },
        { name: 'toString', kind: 'numeric', min: 0, max: 9, nullable: false },
      ],
      10,
    );
    expect(odd.patient({})?.details).toEqual([
      { field: 'toString', message: 'is required', allowed: { minimum: 0, maximum: 9 } },
    ]);
    expect(odd.patient({ constructor: 1, toString: 2 })).toBeUndefined();
  });

  it('say what each bad field allows', () => {
    expect(
      validators.patient({ ...EXAMPLE_PATIENT, thal: 5, age: '63', chol: 5000 })?.details,
    ).toEqual([
      { field: 'age', message: 'must be a number', allowed: { minimum: 1, maximum: 120 } },
      { field: 'chol', message: 'must be ≤ 1000', allowed: { minimum: 50, maximum: 1000 } },
      { field: 'thal', message: 'must be one of 3, 6, 7, null', allowed: [3, 6, 7, null] },
    ]);
  });
});
