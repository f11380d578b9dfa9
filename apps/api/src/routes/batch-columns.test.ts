import { featureFields } from '@heart/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonBody } from '../http/parse-json.js';
import { clevelandRows, patientOf } from '../test-support/fixtures.js';
import { everyByteChange, pythonDumps, signedJson } from '../test-support/json-variants.js';
import { compileValidators } from '../validators.js';
import { readBatchColumns } from './batch-columns.js';

const validators = compileValidators(featureFields({ ca: 1, thal: 1 }), 1000);
const NAMES = validators.names;
type Row = Record<string, number | null>;
let rows: Row[];

beforeAll(async () => {
  rows = (await clevelandRows()).slice(0, 3).map(patientOf);
  rows[1] = { ...rows[1]!, ca: null };
});

/** Rows as the reader holds them: one list per field, NaN for null (as JSON: null). */
const asColumns = (records: Row[]) =>
  signedJson(NAMES.map((name) => records.map((record) => record[name] ?? Number.NaN)));

/** What the route's general path (JSON.parse, then the batch check) answers: its rows as columns, or its problem. */
function general(bytes: Buffer): string {
  try {
    const body = parseJsonBody(bytes, { bom: true });
    const problem = validators.batch(body);
    return problem ? `problem: ${problem.message}` : asColumns((body as { rows: Row[] }).rows);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** Where the reader answers, whether it is what the general path answers; undefined where it leaves the body. */
function agrees(bytes: Buffer): boolean | undefined {
  const read = readBatchColumns(bytes, validators);
  if (read === undefined) return undefined;
  const { count, stride, values } = read;
  const columns = NAMES.map((_, c) => Array.from(values.subarray(c * stride, c * stride + count)));
  return signedJson(columns) === general(bytes);
}

describe('readBatchColumns', () => {
  it('reads {"rows": [...]} with every field in schema order into columns, both spacings', () => {
    for (const body of [{ rows: rows.slice(0, 1) }, { rows }]) {
      for (const text of [JSON.stringify(body), pythonDumps(body)]) {
        expect(agrees(Buffer.from(text)), text.slice(0, 90)).toBe(true);
      }
    }
    const read = readBatchColumns(Buffer.from(JSON.stringify({ rows })), validators);
    expect(read?.count).toBe(3);
    expect(read?.values[NAMES.indexOf('ca') * read.stride + 1]).toBeNaN();
  });

  it('leaves every other body to the general path', () => {
    const [first] = rows as [Row];
    const { ca: _, ...withoutCa } = first;
    const reordered = Object.fromEntries(Object.entries(first).reverse());
    const left = [
      { rows: [] },
      { rows: [withoutCa] },
      { rows: [reordered] },
      { rows: [{ ...first, extra: 1 }] },
      { rows: [{ ...first, age: '63' }] },
      { rows: [{ ...first, age: null }] },
      { rows: [{ ...first, age: 500 }] },
      { rows: [{ ...first, cp: 9 }] },
      { rows: Array(1001).fill(first) },
      { rows: [first], other: 1 },
      { other: 1, rows: [first] },
    ];
    for (const body of left) {
      const text = JSON.stringify(body);
      expect(readBatchColumns(Buffer.from(text), validators), text.slice(0, 90)).toBe(undefined);
    }
    const text = JSON.stringify({ rows: [first] });
    for (const bytes of [`\uFEFF${text}`, `${text} `, JSON.stringify({ rows: [first] }, null, 1)]) {
      expect(readBatchColumns(Buffer.from(bytes), validators), bytes.slice(0, 40)).toBe(undefined);
    }
    // A batch of exactly the limit is read; one row more is the general path's 413.
    const two = compileValidators(featureFields({ ca: 1, thal: 1 }), 2);
    expect(
      readBatchColumns(Buffer.from(JSON.stringify({ rows: [first, first] })), two)?.count,
    ).toBe(2);
    expect(
      readBatchColumns(Buffer.from(JSON.stringify({ rows: [first, first, first] })), two),
    ).toBe(undefined);
    // Where the schema would let a row past the room through, the room itself refuses it.
    const open = compileValidators([{ name: 'a', kind: 'numeric', nullable: true }], 2);
    const many = (n: number) => Buffer.from(JSON.stringify({ rows: Array(n).fill({ a: 1 }) }));
    expect(readBatchColumns(many(2), open)?.count).toBe(2);
    expect(readBatchColumns(many(3), open)).toBe(undefined);
  });

  it('agrees with the general path on every prefix and every one-byte change of a body', () => {
    const texts = [
      JSON.stringify({ rows: rows.slice(0, 2) }),
      pythonDumps({ rows: rows.slice(1) }),
    ];
    const { wrong, read } = everyByteChange(texts, agrees);
    expect(wrong).toEqual([]);
    expect(read).toBeGreaterThan(300);
  });
});
