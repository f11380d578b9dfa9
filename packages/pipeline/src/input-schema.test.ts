import { describe, expect, it } from 'vitest';
import {
  findInputProblems,
  inputJsonSchema,
  projectRecords,
  signatureInputs,
} from './input-schema.js';
import { cleveland, heartInputSchema } from './test-support/heart.js';

describe('one input schema, every consumer derived from it', () => {
  it('the JSON Schema and the MLflow signature agree on which fields are required', async () => {
    const schema = heartInputSchema((await cleveland()).missing);
    const json = inputJsonSchema(schema, { id: 'Patient' }) as {
      $id: string;
      required: string[];
      properties: Record<string, { type: string | string[]; enum?: unknown[]; minimum?: number }>;
      additionalProperties: boolean;
    };
    const signature = signatureInputs(schema);
    expect(json.$id).toBe('Patient');
    expect(json.additionalProperties).toBe(false);
    expect(json.required).toEqual(signature.filter((column) => column.required).map((c) => c.name));
    expect(signature.filter((column) => !column.required).map((c) => c.name)).toEqual([
      'ca',
      'thal',
    ]);
    expect(signature.every((column) => column.type === 'double')).toBe(true);
    expect(json.properties.ca).toMatchObject({
      type: ['integer', 'null'],
      enum: [0, 1, 2, 3, null],
    });
    expect(json.properties.age).toMatchObject({ type: 'number', minimum: 1, maximum: 120 });
  });

  it('checks records as the JSON Schema would, bounded to a limit', async () => {
    const schema = heartInputSchema((await cleveland()).missing);
    const { rows } = await cleveland();
    expect(findInputProblems(schema, rows.slice(0, 50)).total).toBe(0);
    const bad = Array.from({ length: 30 }, () => ({}));
    const { problems, total } = findInputProblems(schema, bad);
    expect(total).toBe(30 * 11);
    expect(problems).toHaveLength(20);
    expect(problems[0]).toEqual({ row: 0, field: 'age', message: 'is required' });
  });

  it('reads a field named as something every object inherits only from the record itself', () => {
    const schema = [
      { name: 'constructor', kind: 'numeric', min: 0, max: 10, nullable: true },
      { name: 'toString', kind: 'numeric', min: 0, max: 10, nullable: false },
    ] as const;
    expect(findInputProblems(schema, [{}]).problems).toEqual([
      { row: 0, field: 'toString', message: 'is required' },
    ]);
    expect(findInputProblems(schema, [{ constructor: 3, toString: 4 }]).total).toBe(0);
    expect(projectRecords(schema, [{ toString: 4 }])).toEqual([{ constructor: null, toString: 4 }]);
  });

  it('projects records to an input example in schema order, missing as null', async () => {
    const schema = heartInputSchema((await cleveland()).missing);
    const [example] = projectRecords(schema, [{ age: 63, extra: 1 }]);
    expect(Object.keys(example!)).toEqual(schema.map((column) => column.name));
    expect(example).toMatchObject({ age: 63, sex: null });
  });
});
