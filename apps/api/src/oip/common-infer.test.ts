import { featureFields } from '@heart/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../columns.js';
import { parseJsonBody } from '../http/parse-json.js';
import { clevelandRows, patientOf } from '../test-support/fixtures.js';
import { everyByteChange, pythonDumps, signedJson } from '../test-support/json-variants.js';
import { compileValidators, type Validators } from '../validators.js';
import { readCommonInferRequest } from './common-infer.js';
import { inferRequest, OUTPUTS } from './infer-request.js';

const validators = compileValidators(featureFields({ ca: 1, thal: 1 }), 1000);
const COLUMNS = validators.names;
type Row = Record<string, number | null>;
let rows: Row[];

beforeAll(async () => {
  rows = (await clevelandRows()).slice(0, 3).map(patientOf);
  // Cleveland's rows 88 and 167 have no ca/thal: take a complete row and one with a null.
  rows[2] = { ...rows[2]!, ca: null };
});

/** What the general path (JSON.parse, then inferRequest) answers: its request, or its error. */
function general(bytes: Buffer, v: Validators): string {
  try {
    return signedJson(inferRequest(parseJsonBody(bytes, { bom: true }), v));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** Where the reader answers, whether it is what the general path answers; undefined where it leaves the body. */
function agrees(bytes: Buffer, v = validators): boolean | undefined {
  const read = readCommonInferRequest(bytes, v);
  if (read === undefined) return undefined;
  // As inferRequest answers: the rows as records, the id, every output.
  const request = { patients: recordsOf(read.rows, v), id: read.id, outputs: OUTPUTS };
  return signedJson(request) === general(bytes, v);
}

const perColumn = (patients: Row[], datatype = 'FP64') =>
  COLUMNS.map((name) => ({
    name,
    shape: [patients.length],
    datatype,
    data: patients.map((p) => p[name]),
  }));
const tensor = (patients: Row[], datatype = 'FP64') => [
  {
    name: 'input-0',
    shape: [patients.length, COLUMNS.length],
    datatype,
    data: patients.flatMap((p) => COLUMNS.map((c) => p[c])),
  },
];
const whole = (patients: Row[]) =>
  patients.map((row) => ({ ...row, oldpeak: Math.round(row.oldpeak ?? 0) }));

describe('readCommonInferRequest', () => {
  it('reads the forms clients send, both spacings, and answers what JSON.parse and inferRequest do', () => {
    const bodies = [
      { inputs: perColumn(rows.slice(0, 1)) },
      { id: 'req-1', inputs: perColumn(rows) },
      { inputs: perColumn(rows, 'FP32'), id: '' },
      { inputs: perColumn(whole(rows), 'INT64') },
      { inputs: tensor(rows.slice(0, 1)), id: 'a b' },
      { id: 'x', inputs: tensor(rows, 'FP32') },
      { inputs: tensor(whole(rows), 'INT64') },
    ];
    for (const body of bodies) {
      for (const text of [JSON.stringify(body), pythonDumps(body)]) {
        expect(agrees(Buffer.from(text)), text.slice(0, 90)).toBe(true);
      }
    }
    const read = readCommonInferRequest(Buffer.from(JSON.stringify(bodies[1])), validators);
    expect(read?.id).toBe('req-1');
    expect(read?.rows.count).toBe(3);
    expect(recordsOf(read!.rows, validators)[2]).toEqual({ ...rows[2], ca: null });
  });

  it('reads numbers as JSON.parse does: -0, fractions, exponents, long digits, null', () => {
    const numbers = [
      '-0',
      '-0.0',
      '0.1',
      '2.30',
      '1e1',
      '1.5E+0',
      '25e-1',
      '0.30000000000000004',
      '1.0000000000000002',
      '123456789012345678e-17',
    ];
    for (const text of numbers) {
      const inputs = perColumn(rows.slice(0, 1));
      const body = JSON.stringify({ inputs }).replace(
        `"data":[${rows[0]!.oldpeak}]`,
        `"data":[${text}]`,
      );
      expect(body).toContain(text);
      expect(agrees(Buffer.from(body)), text).toBe(true);
    }
    const withNull = JSON.stringify({ inputs: perColumn([{ ...rows[0]!, thal: null }]) });
    const read = readCommonInferRequest(Buffer.from(withNull), validators);
    expect(recordsOf(read!.rows, validators)[0]?.thal).toBe(null);
  });

  it('leaves every other form to the general path', () => {
    const one = perColumn(rows.slice(0, 1));
    const left = [
      { inputs: one, outputs: [{ name: 'label' }] },
      { inputs: one, parameters: {} },
      { inputs: one.map((input, i) => (i === 0 ? { ...input, parameters: {} } : input)) },
      { inputs: one.slice(1) },
      { inputs: [...one].reverse() },
      { inputs: one.map((input, i) => (i === 1 ? one[0] : input)) },
      { inputs: one.map((input, i) => (i === 0 ? { ...input, data: [[63]] } : input)) },
      { inputs: one.map((input, i) => (i === 0 ? { ...input, shape: [1, 1] } : input)) },
      { inputs: one.map((input, i) => (i === 0 ? { ...input, name: 'âge' } : input)) },
      { inputs: one.map((input, i) => (i === 0 ? { ...input, data: [500] } : input)) },
      { inputs: one.map((input, i) => (i === 0 ? { ...input, data: [null] } : input)) },
      { inputs: one.map((input, i) => (i === 0 ? { ...input, datatype: 'FP16' } : input)) },
      { inputs: perColumn(rows.slice(0, 1), 'INT64') },
      { inputs: tensor(rows.slice(0, 1)).map((t) => ({ ...t, data: [t.data] })) },
      { inputs: [{ name: 'x', shape: [1, 12], datatype: 'FP64', data: Array(12).fill(1) }] },
      { inputs: [{ name: 'x', shape: [0, 13], datatype: 'FP64', data: [] }] },
      { inputs: perColumn(Array(1001).fill(rows[0])) },
      { inputs: [] },
      { id: 7, inputs: one },
      { id: 'a"b', inputs: one },
      { inputs: one, id: 'x', parameters: {} },
    ];
    for (const body of left) {
      const text = JSON.stringify(body);
      expect(readCommonInferRequest(Buffer.from(text), validators), text.slice(0, 90)).toBe(
        undefined,
      );
    }
    const text = JSON.stringify({ inputs: one });
    for (const bytes of [
      `\uFEFF${text}`,
      `${text} `,
      ` ${text}`,
      `${text}x`,
      text.replace('"age"', '"\\u0061ge"'),
      text.replace('"shape":', '"shape" :'),
      JSON.stringify({ inputs: one }, null, 2),
      `[${text}]`,
    ]) {
      expect(readCommonInferRequest(Buffer.from(bytes), validators), bytes.slice(0, 40)).toBe(
        undefined,
      );
    }
  });

  it('leaves a one-column schema’s [N, 1] input to the general path, which finds it by name', () => {
    const single = compileValidators(
      [{ name: 'age', kind: 'numeric', min: 0, max: 120, nullable: false }],
      10,
    );
    const named = (name: string) =>
      Buffer.from(
        JSON.stringify({ inputs: [{ name, shape: [1, 1], datatype: 'FP64', data: [63] }] }),
      );
    expect(readCommonInferRequest(named('x'), single)).toBe(undefined);
    expect(general(named('x'), single)).toContain('unknown: x');
    const column = Buffer.from(
      JSON.stringify({ inputs: [{ name: 'age', shape: [1], datatype: 'FP64', data: [63] }] }),
    );
    expect(agrees(column, single)).toBe(true);
  });

  it('agrees with the general path on every prefix and every one-byte change of a body', () => {
    const texts = [
      JSON.stringify({ id: 'r', inputs: perColumn(rows.slice(0, 1)) }),
      pythonDumps({ inputs: perColumn(rows.slice(1, 3)), id: 'q' }),
      JSON.stringify({ inputs: tensor(whole(rows.slice(0, 2)), 'INT64') }),
    ];
    const { wrong, read } = everyByteChange(texts, (bytes) => agrees(bytes));
    expect(wrong).toEqual([]);
    // The changes that keep a request (a digit for a digit, a character of the id): read.
    expect(read).toBeGreaterThan(500);
  });
});
